// The code editor of an exercise page: CodeMirror 6 over the server's plain textarea.
//
// Markup (frontend/HOOKS.md): <textarea name="code" id="code" data-editor
// data-storage-key="stride:code:<user>:<slug>">starter</textarea> inside form[data-code-form].
// The textarea stays in the form (hidden) and always holds the editor's text, so the form
// posts the code with or without the fetch handler. The starter comes from data-starter,
// else the JSON script named by data-starter-id, else a sibling <script type="application/json"
// class="starter-code">, else the textarea's server-rendered text.
//
// Hooks set here: data-editor-ready="codemirror" (or "textarea" when CodeMirror failed and
// the plain textarea is used), [data-action="reset-code"] (created when the page has none),
// .editor-note (aria-live messages such as "restored your draft").
// Scripts (and browser tests) may set the code with: textarea.value = code;
// textarea.dispatchEvent(new Event("input")) - the editor follows.

import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, defaultHighlightStyle, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState, Prec } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";

import { browserStorage, createDraftStore } from "./autosave.js";
import { cspNonce, h, readJson, uniqueId } from "./dom.js";

/** Start every textarea[data-editor] inside `root`; returns the editors started. */
export function initEditors(root = document) {
  const started = [];
  for (const textarea of root.querySelectorAll("textarea[data-editor]")) {
    if (textarea.dataset.editorReady) continue;
    started.push(startEditor(textarea));
  }
  return started;
}

function starterCode(textarea) {
  if (textarea.dataset.starter !== undefined) return textarea.dataset.starter;
  const script = textarea.dataset.starterId
    ? document.getElementById(textarea.dataset.starterId)
    : textarea.parentElement && textarea.parentElement.querySelector("script.starter-code");
  if (script) {
    const value = readJson(script);
    if (typeof value === "string") return value;
  }
  return textarea.defaultValue;
}

function labelText(textarea) {
  const label = textarea.id ? document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`) : null;
  return (label && label.textContent.trim()) || textarea.getAttribute("aria-label") || "Code";
}

function timeAgo(savedAt) {
  if (!savedAt) return "";
  const minutes = Math.round((Date.now() - savedAt) / 60000);
  if (minutes < 1) return " (saved just now)";
  if (minutes < 60) return ` (saved ${minutes} min ago)`;
  const when = new Date(savedAt);
  return ` (saved ${when.toLocaleString()})`;
}

function submitForm(form) {
  if (!form) return;
  const button = form.querySelector('button[type="submit"], input[type="submit"], button:not([type])');
  if (typeof form.requestSubmit === "function") form.requestSubmit(button || undefined);
  else if (button) button.click();
  else form.submit();
}

function isSubmitKey(event) {
  return event.key === "Enter" && (event.ctrlKey || event.metaKey) && !event.altKey;
}

/** One editor: CodeMirror when it starts, the plain textarea (still autosaved) otherwise. */
function startEditor(textarea) {
  const form = textarea.form;
  const starter = starterCode(textarea);
  const drafts = createDraftStore(browserStorage(), textarea.dataset.storageKey, starter);
  const draft = drafts.restore();
  if (draft) textarea.value = draft.code;

  const note = h("p", { class: "editor-note muted", "aria-live": "polite" });
  let reset = (form || document).querySelector('[data-action="reset-code"]');
  if (!reset) {
    reset = h("button", { type: "button", class: "button secondary", dataset: { action: "reset-code" } }, "Reset to starter");
  }
  const helpId = uniqueId("editor-help");
  const help = h(
    "p",
    { id: helpId, class: "editor-help muted" },
    "Ctrl+Enter (⌘+Enter on a Mac) submits. Tab indents; to leave the editor with the keyboard press Esc, then Tab.",
  );
  reset.hidden = false; // the page renders it hidden: it does nothing without this script
  const toolbar = h("div", { class: "editor-toolbar cluster" }, reset.isConnected ? null : reset, note);
  if (draft) note.textContent = `Your unsaved work from this browser was restored${timeAgo(draft.savedAt)}.`;

  let view = null;
  try {
    view = createView(textarea, { form, drafts, helpId });
  } catch (error) {
    console.error("stride: the code editor could not start; using the plain text area", error);
    view = null;
  }

  const wrapper = view ? view.dom : textarea;
  wrapper.after(toolbar);
  toolbar.after(help);

  if (view) {
    textarea.hidden = true;
    // The hidden textarea cannot show a "required" bubble; the server checks empty code.
    textarea.required = false;
    textarea.dataset.editorReady = "codemirror";
    textarea.addEventListener("input", () => {
      // Someone (a script, a test, an extension) set the textarea: the editor follows.
      const current = view.state.doc.toString();
      if (textarea.value !== current) {
        view.dispatch({ changes: { from: 0, to: current.length, insert: textarea.value } });
      }
    });
    // Labels point at the textarea; send their clicks to the editor.
    if (textarea.id) {
      for (const label of document.querySelectorAll(`label[for="${CSS.escape(textarea.id)}"]`)) {
        label.addEventListener("click", () => view.focus());
      }
    }
  } else {
    textarea.dataset.editorReady = "textarea";
    textarea.setAttribute("aria-describedby", [textarea.getAttribute("aria-describedby"), helpId].filter(Boolean).join(" "));
    textarea.addEventListener("input", () => drafts.saveSoon(textarea.value));
    textarea.addEventListener("keydown", (event) => {
      if (isSubmitKey(event)) {
        event.preventDefault();
        submitForm(form);
      }
    });
  }

  reset.addEventListener("click", () => {
    if (view) {
      // One undoable change: Ctrl+Z brings the student's code back.
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: starter }, userEvent: "input.reset" });
      view.focus();
    } else {
      textarea.value = starter;
      textarea.focus();
    }
    textarea.value = starter;
    drafts.clear();
    note.textContent = view ? "Starter code restored. Ctrl+Z (⌘+Z) brings your code back." : "Starter code restored.";
  });

  if (form) form.addEventListener("submit", () => drafts.flush());
  window.addEventListener("pagehide", () => drafts.flush());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") drafts.flush();
  });
  return { textarea, view };
}

function createView(textarea, { form, drafts, helpId }) {
  const nonce = cspNonce();
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    python(),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    Prec.highest(
      keymap.of([
        {
          key: "Mod-Enter",
          run: () => {
            submitForm(form);
            return true;
          },
        },
      ]),
    ),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({
      // The editable content is in the Tab order anyway (contenteditable); saying so with
      // tabindex lets checkers such as axe see that the scrolling editor is keyboard operable.
      tabindex: "0",
      "aria-label": labelText(textarea),
      "aria-describedby": helpId,
      "aria-multiline": "true",
    }),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      const code = update.state.doc.toString();
      textarea.value = code;
      drafts.saveSoon(code);
    }),
    editorTheme,
  ];
  // CodeMirror injects its styles in a <style> element: the page's CSP allows it only with the nonce.
  if (nonce) extensions.push(EditorView.cspNonce.of(nonce));
  const view = new EditorView({ state: EditorState.create({ doc: textarea.value, extensions }) });
  view.dom.classList.add("code-editor");
  textarea.after(view.dom);
  return view;
}

const editorTheme = EditorView.theme({
  "&": {
    fontSize: "0.9375rem",
    backgroundColor: "var(--color-code-bg, #fbfbfd)",
    color: "var(--color-text, #1b1f24)",
  },
  ".cm-scroller": {
    fontFamily: "var(--font-mono, ui-monospace, monospace)",
    lineHeight: "1.55",
    minHeight: "16rem",
    maxHeight: "70vh",
  },
  ".cm-content": { padding: "0.5rem 0" },
  ".cm-gutters": {
    backgroundColor: "var(--color-surface-muted, #f1f3f6)",
    color: "var(--color-text-muted, #59626e)",
    borderRight: "1px solid var(--color-border, #d5d9e0)",
  },
  ".cm-activeLine": { backgroundColor: "rgba(37, 99, 235, 0.06)" },
  ".cm-activeLineGutter": { backgroundColor: "rgba(37, 99, 235, 0.12)", color: "var(--color-text, #1b1f24)" },
  "&.cm-focused .cm-cursor": { borderLeftColor: "var(--color-text, #1b1f24)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "rgba(37, 99, 235, 0.22)",
  },
});
