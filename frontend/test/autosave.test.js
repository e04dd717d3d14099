// The editor's drafts: what is kept in localStorage and what comes back on reload.
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";

import { createDraftStore } from "../src/autosave.js";

function memoryStorage() {
  const data = new Map();
  return {
    data,
    getItem: (key) => (data.has(key) ? data.get(key) : null),
    setItem: (key, value) => data.set(key, String(value)),
    removeItem: (key) => data.delete(key),
  };
}

const KEY = "stride:code:7:conv2d";
const STARTER = "def conv2d(image, kernel):\n    pass\n";

describe("drafts", () => {
  it("keeps the latest code after the pause in typing and restores it", async () => {
    const storage = memoryStorage();
    const drafts = createDraftStore(storage, KEY, STARTER, { now: () => 1000, delay: 20 });
    drafts.saveSoon("a");
    drafts.saveSoon("ab");
    assert.equal(storage.getItem(KEY), null, "nothing is written while typing");
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(createDraftStore(storage, KEY, STARTER).restore(), { code: "ab", savedAt: 1000 });
  });

  it("writes a pending draft at once on flush (before unload or submit)", () => {
    const storage = memoryStorage();
    const drafts = createDraftStore(storage, KEY, STARTER);
    drafts.saveSoon("x = 1");
    drafts.flush();
    assert.equal(createDraftStore(storage, KEY, STARTER).restore().code, "x = 1");
  });

  it("does not keep code equal to the starter, and forgets the draft on reset", () => {
    const storage = memoryStorage();
    const drafts = createDraftStore(storage, KEY, STARTER);
    drafts.saveSoon(STARTER);
    drafts.flush();
    assert.equal(storage.data.size, 0);
    drafts.saveSoon("mine");
    drafts.flush();
    drafts.clear();
    assert.equal(storage.data.size, 0);
    assert.equal(drafts.restore(), null);
  });

  it("keeps drafts of different keys apart", () => {
    const storage = memoryStorage();
    createDraftStore(storage, "stride:code:7:conv2d", STARTER).saveSoon("seven");
    const other = createDraftStore(storage, "stride:code:8:conv2d", STARTER);
    other.saveSoon("eight");
    other.flush();
    assert.equal(createDraftStore(storage, "stride:code:7:conv2d", STARTER).restore(), null);
    assert.equal(createDraftStore(storage, "stride:code:8:conv2d", STARTER).restore().code, "eight");
  });

  it("reads a plain-string draft and survives a broken or missing storage", () => {
    const storage = memoryStorage();
    storage.setItem(KEY, "not json");
    assert.deepEqual(createDraftStore(storage, KEY, STARTER).restore(), { code: "not json", savedAt: null });

    const full = { ...memoryStorage(), setItem: () => { throw new Error("QuotaExceededError"); } };
    const warn = mock.method(console, "warn", () => {});
    try {
      const drafts = createDraftStore(full, KEY, STARTER);
      drafts.saveSoon("x");
      assert.doesNotThrow(() => drafts.flush());
    } finally {
      warn.mock.restore();
    }

    const none = createDraftStore(null, KEY, STARTER);
    none.saveSoon("x");
    none.flush();
    assert.equal(none.restore(), null);
  });
});
