// Submitting code without leaving the page: POST the form with fetch, show the live status,
// poll until the grader is done, then swap in the server-rendered result and history.
//
// Markup (frontend/HOOKS.md): form.code-form[data-code-form] (action /exercises/<slug>/submit,
// with the CSRF hidden input), div[data-submission-status] (aria-live), div[data-submission-result],
// div[data-submission-history] (the history URL is the submit answer's history_url, else
// data-history-url, else the form's action with /submit replaced by /history). Errors go into
// [data-form-error] or [data-submission-error] (created in the form when the page has neither).
// The status element shows <span class="badge status-<status>">Queued|Running|Graded|Error</span>
// and carries data-status="<status>". The code itself is never touched here: it stays in the
// editor and its draft in localStorage, whatever the server answers. A textarea[name=code] with
// data-max-bytes is checked before sending (UTF-8 bytes, as the server counts them).
// Optional: a status element rendered with data-status-url and data-result-url (a submission
// still queued when the page was loaded) is polled the same way.

import { h } from "./dom.js";

export const STATUS_TEXT = { sending: "Sending…", queued: "Queued", running: "Running", graded: "Graded", error: "Error" };
const FINISHED = new Set(["graded", "error"]);
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 2000;
const GIVE_UP_MS = 5 * 60 * 1000;

/** The wait before the next status poll: 500 ms, growing by half up to 2 s. */
export function nextDelay(previous) {
  return Math.min(MAX_DELAY_MS, Math.round(previous * 1.5));
}

/**
 * The sentence shown when the server refuses a submission. `status` is the HTTP status,
 * `detail` the JSON body's "detail" (or null when the body was not JSON).
 */
export function refusalMessage(status, detail) {
  const keep = "Your code is still in the editor.";
  const text = detail ? String(detail).trim() : "";
  const said = text ? ` ${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? "" : "."}` : "";
  if (status === 429) return `Too many submissions in a short time.${said} ${keep}`;
  if (status === 413) return `Your submission is too large.${said} ${keep}`;
  if (status === 403 && !detail) {
    return `The page's security token has expired. Reload the page and submit again. ${keep}`;
  }
  if (status === 401) return `You are no longer logged in. Log in again (in another tab) and submit again. ${keep}`;
  if (status >= 500) return `The server could not take the submission (error ${status}). Try again in a moment. ${keep}`;
  return `The submission was refused${status ? ` (error ${status})` : ""}.${said} ${keep}`;
}

function csrfToken(form) {
  const input = form.querySelector('input[name="csrfmiddlewaretoken"]');
  if (input && input.value) return input.value;
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function isJson(response) {
  return (response.headers.get("Content-Type") || "").includes("json");
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Start every form[data-code-form] inside `root`. */
export function initCodeForms(root = document) {
  for (const form of root.querySelectorAll("form[data-code-form]")) {
    if (form.dataset.codeFormReady) continue;
    new CodeForm(form);
  }
}

class CodeForm {
  constructor(form) {
    this.form = form;
    const scope = form.closest("[data-exercise]") || document;
    this.status = scope.querySelector("[data-submission-status]");
    if (!this.status) {
      this.status = h("div", { class: "submission-status", "aria-live": "polite", dataset: { submissionStatus: "" } });
      form.after(this.status);
    }
    this.result = scope.querySelector("[data-submission-result]");
    if (!this.result) {
      this.result = h("div", { class: "submission-result", dataset: { submissionResult: "" } });
      this.status.after(this.result);
    }
    this.history = scope.querySelector("[data-submission-history]");
    this.error = form.querySelector("[data-form-error], [data-submission-error]");
    if (!this.error) {
      this.error = h("p", { class: "field-error submission-error", role: "alert", hidden: true, dataset: { submissionError: "" } });
      const button = form.querySelector('button[type="submit"], button:not([type])');
      (button ? button.closest(".form-row, .cluster") || button : form.lastElementChild || form).after(this.error);
    }
    this.sending = false;
    this.pollRun = 0; // a newer submission stops the polling of an older one
    form.addEventListener("submit", (event) => this.submit(event));
    form.dataset.codeFormReady = "true";

    const { statusUrl, resultUrl } = this.status.dataset;
    const current = this.currentStatus();
    if (statusUrl && resultUrl && current && !FINISHED.has(current)) this.poll(statusUrl, resultUrl);
  }

  currentStatus() {
    if (this.status.dataset.status) return this.status.dataset.status;
    const badge = this.status.querySelector('[class*="status-"]') || this.status;
    const match = [...badge.classList].find((name) => name.startsWith("status-"));
    return match ? match.slice("status-".length) : null;
  }

  setStatus(status) {
    if (!status) {
      delete this.status.dataset.status;
      this.status.replaceChildren();
      return;
    }
    this.status.dataset.status = status;
    const look = status === "sending" ? "queued" : status;
    this.status.replaceChildren(h("span", { class: `badge status-${look}` }, STATUS_TEXT[status] || status));
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
  }

  sizeProblem() {
    const textarea = this.form.querySelector("textarea[name=code][data-max-bytes]");
    const limit = textarea ? Number(textarea.dataset.maxBytes) : 0;
    if (!(limit > 0)) return null;
    const size = new TextEncoder().encode(textarea.value.replace(/\r\n/g, "\n")).length;
    return size > limit ? `your code is ${size} bytes; the limit is ${limit}` : null;
  }

  historyUrl() {
    if (this.answeredHistoryUrl) return this.answeredHistoryUrl;
    if (this.history && this.history.dataset.historyUrl) return this.history.dataset.historyUrl;
    const action = new URL(this.form.action, window.location.href);
    return action.pathname.replace(/\/submit\/?$/, "/history");
  }

  async submit(event) {
    event.preventDefault();
    if (this.sending) return;
    const tooLarge = this.sizeProblem();
    if (tooLarge) {
      this.showError(refusalMessage(413, tooLarge));
      return;
    }
    const submitter = event.submitter || null;
    let body;
    try {
      body = new URLSearchParams(new FormData(this.form, submitter));
    } catch {
      body = new URLSearchParams(new FormData(this.form)); // browsers without the submitter argument
    }
    this.sending = true;
    const buttons = this.form.querySelectorAll('button[type="submit"], button:not([type])');
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    for (const button of buttons) button.setAttribute("aria-disabled", "true");
    this.form.setAttribute("aria-busy", "true");
    const before = this.currentStatus();
    const beforeContent = [...this.status.childNodes];
    this.showError("");
    this.setStatus("sending");

    let response;
    try {
      response = await fetch(this.form.action, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken(this.form), "X-Requested-With": "fetch" },
      });
    } catch {
      response = null;
    } finally {
      this.sending = false;
      for (const button of buttons) button.removeAttribute("aria-disabled");
      this.form.removeAttribute("aria-busy");
    }

    const restore = () => {
      if (before) this.status.dataset.status = before;
      else delete this.status.dataset.status;
      this.status.replaceChildren(...beforeContent);
    };
    if (!response) {
      restore();
      this.showError("Could not reach the server. Check your connection and submit again. Your code is still in the editor.");
      return;
    }
    if (!response.ok) {
      let detail = null;
      if (isJson(response)) {
        try {
          const data = await response.json();
          detail = data.detail || data.error || null;
        } catch {
          detail = null;
        }
      }
      restore();
      this.showError(refusalMessage(response.status, detail));
      return;
    }
    let data = null;
    if (isJson(response)) {
      try {
        data = await response.json();
      } catch {
        data = null;
      }
    }
    if (!data || !data.status_url) {
      restore();
      if (response.redirected && /\/accounts\/login/.test(response.url)) {
        this.showError(refusalMessage(401, null));
      } else if (response.redirected && /\/submissions\/\d+\/?$/.test(new URL(response.url).pathname)) {
        window.location.assign(response.url); // the server chose the page-per-result flow
      } else {
        this.showError("The server's answer was not understood. Reload the page to see whether it arrived. Your code is still in the editor.");
      }
      return;
    }
    if (data.history_url) this.answeredHistoryUrl = data.history_url;
    this.setStatus(data.status && STATUS_TEXT[data.status] ? data.status : "queued");
    const resultUrl = data.result_url || `${this.historyUrl().replace(/\/history$/, "")}/submissions/${data.id}/result`;
    this.poll(data.status_url, resultUrl);
  }

  async poll(statusUrl, resultUrl) {
    const run = ++this.pollRun;
    const started = Date.now();
    let delay = FIRST_DELAY_MS;
    let status = this.currentStatus();
    while (!FINISHED.has(status)) {
      await sleep(delay);
      if (run !== this.pollRun) return;
      delay = nextDelay(delay);
      let response = null;
      try {
        response = await fetch(statusUrl, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      } catch {
        response = null; // a network blip: try again after the next delay
      }
      if (run !== this.pollRun) return;
      if (response && response.status === 429) {
        const retry = Number(response.headers.get("Retry-After"));
        if (retry > 0) delay = Math.max(delay, retry * 1000);
      } else if (response && response.ok && isJson(response)) {
        try {
          const data = await response.json();
          if (data.status) status = data.status;
          if (STATUS_TEXT[status]) this.setStatus(status);
        } catch {
          // a torn answer: ask again
        }
      } else if (response && response.status >= 400 && response.status < 500) {
        this.showError(`The submission's status could not be read (error ${response.status}). Reload the page to see it.`);
        return;
      }
      if (!FINISHED.has(status) && Date.now() - started > GIVE_UP_MS) {
        this.showError("Grading is taking unusually long. Reload the page later to see the result; it will be kept.");
        return;
      }
    }
    if (run !== this.pollRun) return;
    await this.loadFragment(resultUrl, this.result, "result");
    if (this.history) await this.loadFragment(this.historyUrl(), this.history, "history");
  }

  async loadFragment(url, target, what) {
    try {
      const response = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      // The fragment is server-rendered HTML from our own origin (scripts in it never run).
      target.innerHTML = await response.text();
      target.dataset.loaded = "true";
    } catch (error) {
      console.warn(`stride: could not load the ${what}`, error);
      if (what === "result") this.showError("The result could not be loaded. Reload the page to see it.");
    }
  }
}
