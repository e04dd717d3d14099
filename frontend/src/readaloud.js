// Read a dialogue aloud with the browser's speech synthesis, one line after another,
// highlighting the line being read (class "reading" and aria-current on the <li>).
//
// Markup (frontend/HOOKS.md): <button type="button" class="read-aloud" data-read-aloud>Read aloud</button>
// next to <ol class="dialogue"> of <li class="line role-teacher|role-student"><b class="speaker">…</b>
// <div class="text">…</div></li>. The dialogue is the one named by the button's aria-controls,
// else the first ol.dialogue in the button's step (section.step), else on the page.
// The page renders the button hidden; it is shown only where speechSynthesis exists. The button
// toggles: "Read aloud" / "Stop reading".

import { h, prefersReducedMotion } from "./dom.js";

export function initReadAloud(root = document) {
  for (const button of root.querySelectorAll("[data-read-aloud]")) {
    if (button.dataset.readAloudReady) continue;
    button.dataset.readAloudReady = "true";
    startButton(button);
  }
}

function findDialogue(button) {
  const id = button.getAttribute("aria-controls");
  if (id && document.getElementById(id)) return document.getElementById(id);
  const step = button.closest(".step, section, article");
  return (step && step.querySelector("ol.dialogue, .dialogue")) || document.querySelector("ol.dialogue, .dialogue");
}

function lineText(line) {
  const speaker = line.querySelector(".speaker");
  const text = line.querySelector(".text");
  const words = (text || line).textContent.replace(/\s+/g, " ").trim();
  return speaker && text ? `${speaker.textContent.trim()}: ${words}` : words;
}

function pickVoice(lang) {
  const voices = window.speechSynthesis.getVoices();
  if (!voices.length) return null;
  const base = (lang || "en").toLowerCase().split("-")[0];
  return voices.find((voice) => voice.lang.toLowerCase().startsWith(base) && voice.localService) ||
    voices.find((voice) => voice.lang.toLowerCase().startsWith(base)) ||
    null;
}

function startButton(button) {
  const synth = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window ? window.speechSynthesis : null;
  const dialogue = findDialogue(button);
  if (!synth || !dialogue) {
    button.hidden = true;
    return;
  }
  button.hidden = false; // the page renders it hidden, for browsers without this script
  const label = button.textContent.trim() || "Read aloud";
  const status = h("span", { class: "read-aloud-status muted", "aria-live": "polite" });
  button.after(status);
  button.setAttribute("aria-pressed", "false");
  if (dialogue.id) button.setAttribute("aria-controls", dialogue.id);

  let session = 0; // bumped on every start/stop so callbacks of a cancelled run do nothing
  let current = null;

  function highlight(line) {
    if (current) {
      current.classList.remove("reading");
      current.removeAttribute("aria-current");
    }
    current = line;
    if (!line) return;
    line.classList.add("reading");
    line.setAttribute("aria-current", "true");
    line.scrollIntoView({ block: "nearest", behavior: prefersReducedMotion() ? "auto" : "smooth" });
  }

  function stop(message = "") {
    session += 1;
    synth.cancel();
    highlight(null);
    button.textContent = label;
    button.setAttribute("aria-pressed", "false");
    button.classList.remove("active");
    status.textContent = message;
  }

  function speakFrom(index, run) {
    const lines = [...dialogue.querySelectorAll("li.line, li")].filter((li) => li.closest("ol, ul") === dialogue);
    if (run !== session) return;
    if (index >= lines.length) {
      stop("Finished reading.");
      return;
    }
    const line = lines[index];
    const utterance = new SpeechSynthesisUtterance(lineText(line));
    const lang = line.closest("[lang]")?.getAttribute("lang") || document.documentElement.lang || "en";
    utterance.lang = lang;
    const voice = pickVoice(lang);
    if (voice) utterance.voice = voice;
    // Two voices in one: the students' lines a little higher, so turns are easy to follow.
    utterance.pitch = line.classList.contains("role-student") ? 1.25 : 1;
    utterance.rate = 1;
    utterance.onstart = () => {
      if (run === session) highlight(line);
    };
    utterance.onend = () => speakFrom(index + 1, run);
    utterance.onerror = (event) => {
      if (run !== session) return;
      if (event.error === "interrupted" || event.error === "canceled") return;
      stop("Read aloud is not available right now in this browser.");
    };
    highlight(line); // at once: some engines fire onstart late or never
    synth.speak(utterance);
  }

  button.addEventListener("click", () => {
    if (button.getAttribute("aria-pressed") === "true") {
      stop("Stopped reading.");
      return;
    }
    stop();
    const run = session;
    button.textContent = "Stop reading";
    button.setAttribute("aria-pressed", "true");
    button.classList.add("active");
    status.textContent = "Reading the dialogue aloud.";
    speakFrom(0, run);
  });
  window.addEventListener("pagehide", () => synth.cancel());
}
