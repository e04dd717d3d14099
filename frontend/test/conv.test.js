// The visualizer's arithmetic against hand-worked examples and against the grader's own
// reference functions (test/fixtures/reference-cases.json, made by make_reference_cases.py).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import {
  KERNEL_PRESETS,
  avgPool,
  convolutionPlan,
  convolve,
  formatNumber,
  matchPreset,
  maxPool,
  outputSize,
  pad,
  paddingAmounts,
  poolingPlan,
  presetKernel,
  samePadding,
} from "../src/conv.js";

const reference = JSON.parse(readFileSync(new URL("./fixtures/reference-cases.json", import.meta.url), "utf8"));

function shape(grid) {
  return [grid.length, grid.length ? grid[0].length : 0];
}

describe("padding amounts", () => {
  it("gives none for 'valid'", () => {
    assert.deepEqual(paddingAmounts(5, 5, 3, 1, "valid"), { top: 0, bottom: 0, left: 0, right: 0 });
  });

  it("puts the odd zero of 'same' at the bottom/right for even kernels", () => {
    // n=4, k=2, s=1: out 4, total 1 -> before 0, after 1.
    assert.deepEqual(samePadding(4, 2, 1), [0, 1]);
    assert.deepEqual(paddingAmounts(4, 6, [2, 4], 1, "same"), { top: 0, bottom: 1, left: 1, right: 2 });
  });

  it("follows TensorFlow's rule with strides, including strides larger than the kernel", () => {
    assert.deepEqual(samePadding(5, 3, 2), [1, 1]); // out 3, total (2*2+3-5)=2
    assert.deepEqual(samePadding(6, 3, 2), [0, 1]); // out 3, total 1
    assert.deepEqual(samePadding(7, 2, 4), [0, 0]); // out 2, total max(4+2-7,0)=0
    assert.deepEqual(samePadding(5, 1, 3), [0, 0]);
  });

  it("adds an int padding on every side and a pair per axis", () => {
    assert.deepEqual(paddingAmounts(3, 3, 3, 1, 2), { top: 2, bottom: 2, left: 2, right: 2 });
    assert.deepEqual(paddingAmounts(3, 3, 3, 1, [1, 0]), { top: 1, bottom: 1, left: 0, right: 0 });
  });

  it("refuses unknown paddings, negative amounts and zero strides", () => {
    assert.throws(() => paddingAmounts(3, 3, 3, 1, "full"), RangeError);
    assert.throws(() => paddingAmounts(3, 3, 3, 1, -1), RangeError);
    assert.throws(() => paddingAmounts(3, 3, 3, 0, "valid"), RangeError);
    assert.throws(() => paddingAmounts(3, 3, 3, 1.5, "valid"), TypeError);
  });
});

describe("pad", () => {
  it("surrounds a grid with zeros", () => {
    assert.deepEqual(pad([[1, 2]], 1), [
      [0, 0, 0, 0],
      [0, 1, 2, 0],
      [0, 0, 0, 0],
    ]);
  });

  it("pads each side by its own amount and leaves the input alone", () => {
    const input = [
      [1, 2],
      [3, 4],
    ];
    const out = pad(input, { top: 0, bottom: 1, left: 2, right: 0 });
    assert.deepEqual(out, [
      [0, 0, 1, 2],
      [0, 0, 3, 4],
      [0, 0, 0, 0],
    ]);
    assert.deepEqual(input, [
      [1, 2],
      [3, 4],
    ]);
  });

  it("pads rows and columns differently with a pair", () => {
    assert.deepEqual(pad([[5]], [0, 1]), [[0, 5, 0]]);
  });
});

describe("outputSize", () => {
  it("computes valid, same and int paddings", () => {
    assert.equal(outputSize(6, 3, 1, "valid"), 4);
    assert.equal(outputSize(7, 3, 2, "valid"), 3);
    assert.equal(outputSize(7, 3, 2, "same"), 4);
    assert.equal(outputSize(5, 3, 1, 1), 5);
    assert.equal(outputSize(5, 2, 3, 1), 2); // floor((5+2-2)/3)+1
  });

  it("is 0, never negative, when the kernel does not fit", () => {
    assert.equal(outputSize(2, 3, 1, "valid"), 0);
    assert.equal(outputSize(0, 5, 2, "valid"), 0);
    assert.equal(outputSize(0, 1, 1, "same"), 0);
  });

  it("matches the output-size reference on every case of the fixture", () => {
    for (const [n, k, s, padding, expected] of reference.output_size) {
      assert.equal(outputSize(n, k, s, padding), expected, `n=${n} k=${k} s=${s} padding=${padding}`);
    }
  });
});

describe("convolve", () => {
  const edge = [
    [0, 0, 0, 9, 9, 9],
    [0, 0, 0, 9, 9, 9],
    [0, 0, 0, 9, 9, 9],
    [0, 0, 0, 9, 9, 9],
    [0, 0, 0, 9, 9, 9],
    [0, 0, 0, 9, 9, 9],
  ];

  it("lights up on a vertical edge with the vertical-edge preset", () => {
    const out = convolve(edge, KERNEL_PRESETS["vertical-edge"], 1, "valid");
    assert.deepEqual(out, Array.from({ length: 4 }, () => [0, 27, 27, 0]));
  });

  it("does not flip the kernel (cross-correlation)", () => {
    // A kernel that picks the top-left pixel of each window: flipping would pick the bottom-right.
    const out = convolve(
      [
        [1, 2],
        [3, 4],
      ],
      [
        [1, 0],
        [0, 0],
      ],
    );
    assert.deepEqual(out, [[1]]);
  });

  it("gives one value when the kernel is as large as the input", () => {
    const out = convolve(
      [
        [1, 2, 0],
        [0, 1, 3],
        [2, 1, 1],
      ],
      [
        [1, 0, -1],
        [1, 0, -1],
        [1, 0, -1],
      ],
    );
    assert.deepEqual(out, [[-1]]);
  });

  it("keeps the input size with 'same' and an even kernel, padding bottom/right", () => {
    const input = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    const ones = [
      [1, 1],
      [1, 1],
    ];
    // total 1 per axis, all of it after: windows start at the real pixels.
    assert.deepEqual(convolve(input, ones, 1, "same"), [
      [12, 16, 9],
      [24, 28, 15],
      [15, 17, 9],
    ]);
  });

  it("skips pixels when the stride is larger than the kernel", () => {
    const input = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => r * 5 + c));
    assert.deepEqual(convolve(input, [[1]], 3, "valid"), [
      [0, 3],
      [15, 18],
    ]);
    assert.deepEqual(shape(convolve(input, [[1]], 3, "same")), [2, 2]);
  });

  it("returns an empty map when the kernel does not fit", () => {
    assert.deepEqual(convolve([[1, 2]], [[1], [1]], 1, "valid"), []);
  });

  it("plans the windows in row-major order with their corners in the padded grid", () => {
    const plan = convolutionPlan([[1, 2, 3, 4]], [[1, 1]], 2, 1);
    assert.deepEqual(plan.pads, { top: 1, bottom: 1, left: 1, right: 1 });
    assert.equal(plan.rows, 2);
    assert.equal(plan.cols, 3);
    assert.deepEqual(
      plan.steps.map((s) => [s.row, s.col, s.top, s.left]),
      [
        [0, 0, 0, 0],
        [0, 1, 0, 2],
        [0, 2, 0, 4],
        [1, 0, 2, 0],
        [1, 1, 2, 2],
        [1, 2, 2, 4],
      ],
    );
    assert.deepEqual(plan.real[1], [false, true, true, true, true, false]);
  });

  it("gives exactly the conv2d reference's numbers", () => {
    for (const [index, c] of reference.conv.entries()) {
      const out = convolve(c.input, c.kernel, c.stride, c.padding);
      assert.deepEqual(out, c.output, `case ${index}: stride ${JSON.stringify(c.stride)} padding ${c.padding}`);
    }
  });
});

describe("pooling", () => {
  const map = [
    [1, 3, 2, 0],
    [4, 6, 1, 1],
    [0, 2, 5, 7],
    [1, 1, 3, 8],
  ];

  it("keeps the largest value of each tile", () => {
    assert.deepEqual(maxPool(map, 2), [
      [6, 2],
      [2, 8],
    ]);
  });

  it("averages each tile", () => {
    assert.deepEqual(avgPool(map, 2), [
      [3.5, 1],
      [1, 5.75],
    ]);
  });

  it("defaults the stride to the pool size and accepts another one", () => {
    assert.deepEqual(shape(maxPool(map, 3)), [1, 1]);
    assert.deepEqual(maxPool(map, 3, 1), [
      [6, 7],
      [6, 8],
    ]);
  });

  it("never lets a padded cell win a max, even when every real value is negative", () => {
    const negative = [
      [-5, -4, -3],
      [-2, -1, -6],
      [-7, -8, -9],
    ];
    // 'same' with size 2 stride 2: out 2, total 1, the padding goes to the bottom/right.
    assert.deepEqual(maxPool(negative, 2, null, "same"), [
      [-1, -3],
      [-7, -9],
    ]);
  });

  it("leaves padded cells out of the mean", () => {
    const grid = [
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ];
    assert.deepEqual(avgPool(grid, 2, null, "same"), [
      [3, 4.5],
      [7.5, 9],
    ]);
    const plan = poolingPlan(grid, "average", 2, null, "same");
    assert.deepEqual(
      plan.steps.map((s) => s.count),
      [4, 2, 2, 1],
    );
  });

  it("names the winning cell of each max window", () => {
    const plan = poolingPlan(map, "max", 2);
    assert.deepEqual(
      plan.steps.map((s) => s.winner),
      [
        [1, 1],
        [0, 2],
        [2, 1],
        [3, 3],
      ],
    );
  });

  it("refuses int paddings and unknown modes like the references", () => {
    assert.throws(() => maxPool(map, 2, null, 1), RangeError);
    assert.throws(() => poolingPlan(map, "min"), RangeError);
  });

  it("gives exactly the max-pool and avg-pool references' numbers", () => {
    for (const [index, c] of reference.pool.entries()) {
      const fn = c.mode === "max" ? maxPool : avgPool;
      const out = fn(c.input, c.pool_size, c.stride, c.padding);
      assert.deepEqual(out, c.output, `case ${index}: ${JSON.stringify({ ...c, output: undefined })}`);
    }
  });
});

describe("presets", () => {
  it("are the kernels of visualization.py, value for value", () => {
    assert.deepEqual(KERNEL_PRESETS, reference.presets);
    assert.deepEqual(Object.keys(KERNEL_PRESETS), ["vertical-edge", "horizontal-edge", "blur", "sharpen"]);
    assert.deepEqual(KERNEL_PRESETS.sharpen, [
      [0, -1, 0],
      [-1, 5, -1],
      [0, -1, 0],
    ]);
    assert.ok(KERNEL_PRESETS.blur.flat().every((v) => v === 1 / 9));
  });

  it("are copied, so editing a kernel leaves the preset alone", () => {
    const kernel = presetKernel("blur");
    kernel[0][0] = 5;
    assert.equal(KERNEL_PRESETS.blur[0][0], 1 / 9);
    assert.equal(matchPreset(kernel), null);
    assert.equal(matchPreset(presetKernel("horizontal-edge")), "horizontal-edge");
  });
});

describe("formatNumber", () => {
  it("shows at most two decimals without trailing zeros or a negative zero", () => {
    assert.equal(formatNumber(27), "27");
    assert.equal(formatNumber(3.5), "3.5");
    assert.equal(formatNumber(5.75), "5.75");
    assert.equal(formatNumber(1 / 9), "0.11");
    assert.equal(formatNumber(-2 / 3), "-0.67");
    assert.equal(formatNumber(-0.001), "0");
    assert.equal(formatNumber(-0), "0");
  });
});
