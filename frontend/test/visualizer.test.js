// Which widget a visualization step gets, from the params the server puts in the page.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { visualizationKind } from "../src/visualizer.js";

describe("visualization kind", () => {
  it("follows the params' kind, then the element's data-kind", () => {
    assert.equal(visualizationKind({ kind: "pooling", kernel: [[1]] }), "pooling");
    assert.equal(visualizationKind({ input: [[1]] }, { dataset: { kind: "pooling" } }), "pooling");
  });

  it("recognises pooling params without a kind (mode or pool size, no kernel)", () => {
    assert.equal(visualizationKind({ input: [[1]], mode: "max", pool_size: 2, stride: 2 }), "pooling");
    assert.equal(visualizationKind({ input: [[1]], pool_size: 3 }), "pooling");
  });

  it("takes everything else for a convolution", () => {
    assert.equal(visualizationKind({ input: [[1]], preset: "blur", stride: 1 }), "convolution");
    assert.equal(visualizationKind({ input: [[1]], kernel: [[1]], padding: "same" }), "convolution");
    assert.equal(visualizationKind({ input: [[1]] }), "convolution");
  });
});
