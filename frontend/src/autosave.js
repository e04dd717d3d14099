// Unsaved editor work kept in the browser (localStorage), one entry per storage key
// (the template's data-storage-key is "stride:code:<user id>:<exercise slug>", so two
// people sharing a browser, or two exercises, never see each other's code).

const DEBOUNCE_MS = 400;

/** localStorage when it works (it throws in some private modes or when disabled), else null. */
export function browserStorage() {
  try {
    const storage = window.localStorage;
    const probe = "stride:probe";
    storage.setItem(probe, "1");
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

/**
 * A draft store for one editor. `storage` is a Storage-like object (getItem/setItem/removeItem)
 * or null (then nothing is kept); `starter` is the exercise's starter code: a draft equal to it
 * is not worth keeping.
 */
export function createDraftStore(storage, key, starter, { now = () => Date.now(), delay = DEBOUNCE_MS } = {}) {
  let timer = null;
  let pending = null;

  function write(code) {
    if (!storage || !key) return;
    try {
      if (code === starter) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify({ v: 1, code, savedAt: now() }));
    } catch (error) {
      // Quota exceeded or storage revoked: the code is still in the editor and the form.
      console.warn("stride: could not save the draft", error);
    }
  }

  return {
    /** The saved draft as {code, savedAt}, or null when there is none (or it equals the starter). */
    restore() {
      if (!storage || !key) return null;
      let raw;
      try {
        raw = storage.getItem(key);
      } catch {
        return null;
      }
      if (raw === null) return null;
      let draft;
      try {
        draft = JSON.parse(raw);
      } catch {
        draft = { code: raw, savedAt: null }; // a plain string from an older version
      }
      if (!draft || typeof draft.code !== "string" || draft.code === starter) return null;
      return { code: draft.code, savedAt: typeof draft.savedAt === "number" ? draft.savedAt : null };
    },
    /** Save `code` soon (typing fires this on every key). */
    saveSoon(code) {
      pending = code;
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => this.flush(), delay);
    },
    /** Write a pending save now (before unload or submit). */
    flush() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (pending !== null) write(pending);
      pending = null;
    },
    /** Forget the draft (the editor holds the starter again). */
    clear() {
      pending = null;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      write(starter);
    },
  };
}
