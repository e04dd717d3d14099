// Code blocks that scroll can be scrolled with the keyboard (WCAG 2.1.1).
//
// A <pre> never makes the page wider (base.css: overflow-x: auto): a long line scrolls inside
// its box instead, and the stdout box also scrolls down past 20rem. A mouse or a finger can
// scroll such a box, but the keyboard only scrolls what has the focus, and a <pre> cannot take
// it. So each <pre> that overflows gets tabindex="0" (arrow keys then scroll it, and the focus
// ring of base.css shows where the focus is), and loses it again when a wider window lets it
// fit, so that boxes with nothing to scroll add no Tab stops. Blocks that arrive later (the
// result and history fragments of the exercise page) are watched too.

const MANAGED = "scrollFocus"; // data-scroll-focus: the tabindex was set here, not by the server

function overflows(box) {
  return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
}

function update(box) {
  if (box.hasAttribute("tabindex") && !box.dataset[MANAGED]) return; // the server's own choice
  if (overflows(box)) {
    box.tabIndex = 0;
    box.dataset[MANAGED] = "true";
  } else if (box.dataset[MANAGED]) {
    box.removeAttribute("tabindex");
    delete box.dataset[MANAGED];
  }
}

/** Watch every <pre> in `root`, now and later; returns a function that stops watching. */
export function initScrollableRegions(root = document) {
  const resized =
    typeof ResizeObserver === "function" ? new ResizeObserver((entries) => entries.forEach((e) => update(e.target))) : null;
  const watched = new WeakSet();
  const watch = (box) => {
    if (watched.has(box)) return;
    watched.add(box);
    update(box);
    if (resized) resized.observe(box);
  };
  const scan = (node) => {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("pre")) watch(node);
    node.querySelectorAll("pre").forEach(watch);
  };
  scan(root.documentElement || root);

  const added = new MutationObserver((records) => records.forEach((record) => record.addedNodes.forEach(scan)));
  added.observe(root.body || root, { childList: true, subtree: true });
  // Opening a <details> (the stdout of a result) gives its box a size for the first time;
  // the ResizeObserver sees that, and without one each toggle is checked here.
  if (!resized) {
    root.addEventListener("toggle", (event) => event.target.querySelectorAll?.("pre").forEach(update), true);
  }
  return () => {
    added.disconnect();
    if (resized) resized.disconnect();
  };
}
