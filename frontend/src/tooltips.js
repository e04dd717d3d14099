// Definitions of glossary terms as accessible tooltips.
//
// Markup (frontend/HOOKS.md): <a class="term" href="/glossary/#term-<key>" data-term="<key>"
// title="definition">. The title moves into a role="tooltip" element (the attribute is
// removed so the browser does not show a second, native tooltip and screen readers do not
// read the definition twice; it is kept in data-definition). The link gets
// aria-describedby. The tooltip shows on hover and on keyboard focus, stays while the pointer
// is over it, and Escape hides it (WCAG 1.4.13). The link still goes to the glossary.

import { h, uniqueId } from "./dom.js";

const HIDE_DELAY_MS = 150;

export function initTermTooltips(root = document) {
  for (const link of root.querySelectorAll("a.term[title]")) {
    if (link.dataset.tooltipReady) continue;
    const definition = link.getAttribute("title").trim();
    if (!definition) continue;
    link.dataset.tooltipReady = "true";
    attach(link, definition);
  }
}

function attach(link, definition) {
  const tip = h("div", { class: "term-tooltip", role: "tooltip", id: uniqueId("term-tip"), hidden: true }, definition);
  document.body.append(tip);
  link.dataset.definition = definition;
  link.removeAttribute("title");
  link.setAttribute("aria-describedby", [link.getAttribute("aria-describedby"), tip.id].filter(Boolean).join(" "));

  let hideTimer = null;
  let hovering = false;
  let focused = false;

  function show() {
    clearTimeout(hideTimer);
    if (!tip.hidden) return;
    tip.hidden = false;
    position();
  }
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => {
      if (!hovering && !focused) tip.hidden = true;
    }, HIDE_DELAY_MS);
  }
  function hideNow() {
    clearTimeout(hideTimer);
    tip.hidden = true;
  }
  function position() {
    const rect = link.getBoundingClientRect();
    const width = Math.min(tip.offsetWidth, document.documentElement.clientWidth - 16);
    let left = rect.left + window.scrollX;
    const maxLeft = window.scrollX + document.documentElement.clientWidth - width - 8;
    left = Math.max(window.scrollX + 8, Math.min(left, maxLeft));
    let top = rect.bottom + window.scrollY + 6;
    const below = window.innerHeight - rect.bottom;
    if (below < tip.offsetHeight + 12 && rect.top > tip.offsetHeight + 12) {
      top = rect.top + window.scrollY - tip.offsetHeight - 6;
      tip.dataset.placement = "above";
    } else {
      tip.dataset.placement = "below";
    }
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(top)}px`;
  }

  link.addEventListener("mouseenter", () => {
    hovering = true;
    show();
  });
  link.addEventListener("mouseleave", () => {
    hovering = false;
    hideSoon();
  });
  tip.addEventListener("mouseenter", () => {
    hovering = true;
    clearTimeout(hideTimer);
  });
  tip.addEventListener("mouseleave", () => {
    hovering = false;
    hideSoon();
  });
  link.addEventListener("focus", () => {
    focused = true;
    show();
  });
  link.addEventListener("blur", () => {
    focused = false;
    hideSoon();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !tip.hidden) hideNow();
  });
  window.addEventListener("resize", () => {
    if (!tip.hidden) position();
  });
}
