// Entry point of dist/stride.js (loaded by base.html as <script type="module">).
// Finds the page hooks (frontend/HOOKS.md) on the page and starts each widget; a widget that fails is
// reported in the console and leaves the server-rendered page working as it is.
// When everything has started, <html> gets data-stride-ready="true" (browser tests wait on it).

import { initCodeForms } from "./codeform.js";
import { initEditors } from "./editor.js";
import { initFlashcards } from "./flashcards.js";
import { initReadAloud } from "./readaloud.js";
import { initScrollableRegions } from "./scrollable.js";
import { initTermTooltips } from "./tooltips.js";
import { initVisualizers } from "./visualizer.js";

const WIDGETS = [
  ["editor", initEditors],
  ["code form", initCodeForms],
  ["visualizer", initVisualizers],
  ["flashcards", initFlashcards],
  ["read aloud", initReadAloud],
  ["term tooltips", initTermTooltips],
  ["scrollable regions", initScrollableRegions],
];

function start() {
  document.documentElement.classList.add("js");
  for (const [name, init] of WIDGETS) {
    try {
      init(document);
    } catch (error) {
      console.error(`stride: ${name} failed to start`, error);
    }
  }
  document.documentElement.dataset.strideReady = "true";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
else start();
