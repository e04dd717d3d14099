// The code form's polling rhythm and its messages for refused submissions.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { STATUS_TEXT, nextDelay, refusalMessage } from "../src/codeform.js";

describe("polling", () => {
  it("starts at 500 ms and backs off to at most 2 s", () => {
    const delays = [500];
    for (let i = 0; i < 6; i++) delays.push(nextDelay(delays.at(-1)));
    assert.deepEqual(delays, [500, 750, 1125, 1688, 2000, 2000, 2000]);
  });

  it("names the statuses as the page hooks do", () => {
    assert.equal(STATUS_TEXT.queued, "Queued");
    assert.equal(STATUS_TEXT.running, "Running");
    assert.equal(STATUS_TEXT.graded, "Graded");
    assert.equal(STATUS_TEXT.error, "Error");
  });
});

describe("refusal messages", () => {
  it("explain a rate limit with the server's detail and keep the code", () => {
    const text = refusalMessage(429, "at most 5 submissions in 60 s; try again in 42 s");
    assert.match(text, /Too many submissions/);
    assert.match(text, /At most 5 submissions in 60 s; try again in 42 s\./);
    assert.match(text, /Your code is still in the editor\./);
  });

  it("explain a submission that is too large", () => {
    assert.match(refusalMessage(413, "code is larger than 64 KiB."), /^Your submission is too large\. Code is larger than 64 KiB\. /);
  });

  it("tell an expired CSRF token (403 without JSON) from a forbidden action", () => {
    assert.match(refusalMessage(403, null), /security token has expired/);
    assert.match(refusalMessage(403, "the exercise is closed"), /refused \(error 403\)\. The exercise is closed\./);
  });

  it("ask to try again on server errors", () => {
    assert.match(refusalMessage(503, null), /error 503\)\. Try again in a moment\./);
  });
});
