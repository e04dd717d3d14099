// Keyboard shortcuts of the flashcard review page ([data-flashcards]):
// Space or Enter shows the answer, 1-4 rate it Again / Hard / Good / Easy.
//
// The answer is shown by whatever the page offers: a <details> (opened), or a
// button[data-action="show-answer"] (clicked). When that button controls a hidden answer
// (aria-controls, or [data-answer] in the same [data-flashcards]) this module reveals it,
// together with a hidden [data-ratings] block; a submit button is simply left to submit.
// Ratings are the submit buttons name="rating" value="again|hard|good|easy" (or with
// data-rating="1".."4"); a key only presses a visible one, so rating needs the answer shown
// first, as on paper. A hidden [data-shortcut-hint] is shown (else a hint is added).

import { h } from "./dom.js";

export const RATING_KEYS = Object.freeze({ 1: "again", 2: "hard", 3: "good", 4: "easy" });

const INTERACTIVE = "a[href], button, input, select, textarea, summary, [contenteditable], [role=button], [tabindex]";

function isVisible(element) {
  if (typeof element.checkVisibility === "function") return element.checkVisibility();
  return element.offsetParent !== null;
}

/** Start the shortcuts when the page has a [data-flashcards] block. */
export function initFlashcards(root = document) {
  for (const deck of root.querySelectorAll("[data-flashcards]")) {
    if (deck.dataset.flashcardsReady) continue;
    deck.dataset.flashcardsReady = "true";
    startDeck(deck);
  }
}

function startDeck(deck) {
  const showButton = deck.querySelector('[data-action="show-answer"]');
  const details = deck.querySelector("details");
  const answer =
    (showButton && showButton.getAttribute("aria-controls") && document.getElementById(showButton.getAttribute("aria-controls"))) ||
    deck.querySelector("[data-answer]");
  const ratings = deck.querySelector("[data-ratings]");
  let rated = false;

  const ratingButtons = () => [...deck.querySelectorAll('[name="rating"]')].filter((el) => el.matches("button, input"));
  const keyOf = (button) => button.dataset.rating || Object.keys(RATING_KEYS).find((k) => RATING_KEYS[k] === button.value);
  for (const button of ratingButtons()) {
    const key = keyOf(button);
    if (key) button.setAttribute("aria-keyshortcuts", key);
    button.closest("form")?.addEventListener("submit", () => {
      rated = true; // one rating per card: later key presses must not post twice
    });
  }
  if (showButton) showButton.setAttribute("aria-keyshortcuts", "Space Enter");

  const revealable = showButton && answer && showButton.type !== "submit";
  if (revealable) {
    showButton.setAttribute("aria-expanded", String(!answer.hidden));
    showButton.addEventListener("click", () => reveal());
  }

  function answerShown() {
    if (details) return details.open;
    if (answer) return !answer.hidden && isVisible(answer);
    return ratingButtons().some(isVisible);
  }

  function reveal() {
    if (details) {
      details.open = true;
      return;
    }
    if (revealable) {
      answer.hidden = false;
      if (ratings) ratings.hidden = false;
      showButton.setAttribute("aria-expanded", "true");
      showButton.hidden = true;
      // The button is gone: put the focus on the answer so keyboard and screen-reader users land there.
      if (!answer.hasAttribute("tabindex")) answer.setAttribute("tabindex", "-1");
      answer.focus();
      return;
    }
    if (showButton) showButton.click();
  }

  const hint = deck.querySelector("[data-shortcut-hint]");
  if (hint) hint.hidden = false;
  else if (!deck.querySelector(".flashcards-keys")) {
    deck.append(
      h(
        "p",
        { class: "flashcards-keys muted" },
        "Keyboard: ",
        h("kbd", {}, "Space"),
        " shows the answer, then ",
        h("kbd", {}, "1"),
        " Again, ",
        h("kbd", {}, "2"),
        " Hard, ",
        h("kbd", {}, "3"),
        " Good, ",
        h("kbd", {}, "4"),
        " Easy.",
      ),
    );
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || rated) return;
    if (!deck.isConnected) return;
    const target = event.target instanceof Element ? event.target : null;
    const typing = target && target.closest("input, textarea, select, [contenteditable]");
    if (typing) return;
    if (event.key === " " || event.key === "Enter") {
      // On a focused button or link, Space/Enter keep their own meaning (press that control).
      if (target && target !== deck && target.closest(INTERACTIVE) && !target.matches("[data-answer]")) return;
      if (answerShown()) return;
      event.preventDefault();
      reveal();
      return;
    }
    if (!RATING_KEYS[event.key]) return;
    const button = ratingButtons().find((el) => keyOf(el) === event.key && isVisible(el));
    if (!button || !answerShown()) return;
    event.preventDefault();
    button.click();
  });
}
