// Small DOM helpers shared by the widgets.

let counter = 0;

/** A page-unique id with a readable prefix (for label/for and aria-describedby pairs). */
export function uniqueId(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/**
 * Create an element: h("button", {type: "button", class: "button", dataset: {action: "play"},
 * onclick: fn}, "Play"). Attribute values of false/null/undefined are left out; `true` sets
 * an empty attribute. Children may be strings, nodes, or (nested) arrays of them.
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "value" || name === "checked" || name === "selected") element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** The CSP nonce base.html puts in <meta name="csp-nonce">, or undefined. */
export function cspNonce() {
  const meta = document.querySelector('meta[name="csp-nonce"]');
  return (meta && (meta.getAttribute("content") || meta.nonce)) || undefined;
}

/** The parsed JSON of a <script type="application/json"> element, or null when absent/invalid. */
export function readJson(element) {
  if (!element) return null;
  try {
    return JSON.parse(element.textContent);
  } catch (error) {
    console.warn("stride: invalid JSON in", element, error);
    return null;
  }
}

/** Whether the user asked the system for less motion. */
export function prefersReducedMotion() {
  return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
