// The arithmetic of the lesson visualizations, without any DOM.
//
// Everything here mirrors the grader's reference solutions (exercises/conv2d, max-pool,
// avg-pool, output-size, pad2d), because a lesson that animates one answer while the
// grader accepts another would teach the wrong thing. In particular:
// - convolution is cross-correlation: the kernel is not flipped;
// - 'same' padding follows TensorFlow per axis: out = ceil(n / s),
//   total = max((out - 1) * s + k - n, 0), before = floor(total / 2), after = total - before
//   (the odd zero goes to the bottom / right);
// - an int padding p adds p zeros on every side; 'valid' adds none and keeps the windows that fit;
// - max pooling never lets a padded cell win, average pooling leaves padded cells out of the mean.
// Sums are accumulated in the same order as the references (kernel row by row, left to right)
// so the float results are the same numbers, not merely close ones.

/** The kernel presets; equal to KERNEL_PRESETS in platform/stride/courses/visualization.py. */
export const KERNEL_PRESETS = Object.freeze({
  "vertical-edge": [
    [-1, 0, 1],
    [-1, 0, 1],
    [-1, 0, 1],
  ],
  "horizontal-edge": [
    [-1, -1, -1],
    [0, 0, 0],
    [1, 1, 1],
  ],
  blur: [
    [1 / 9, 1 / 9, 1 / 9],
    [1 / 9, 1 / 9, 1 / 9],
    [1 / 9, 1 / 9, 1 / 9],
  ],
  sharpen: [
    [0, -1, 0],
    [-1, 5, -1],
    [0, -1, 0],
  ],
});

/** Human names of the presets, in the order a menu shows them. */
export const PRESET_LABELS = Object.freeze({
  "vertical-edge": "Vertical edge",
  "horizontal-edge": "Horizontal edge",
  blur: "Blur",
  sharpen: "Sharpen",
});

/** A fresh copy of a preset's kernel (callers may edit it). */
export function presetKernel(name) {
  const kernel = KERNEL_PRESETS[name];
  if (!kernel) throw new RangeError(`unknown kernel preset ${JSON.stringify(name)}`);
  return kernel.map((row) => row.slice());
}

/** The preset whose kernel equals `kernel` exactly, or null. */
export function matchPreset(kernel) {
  for (const [name, preset] of Object.entries(KERNEL_PRESETS)) {
    if (sameGrid(preset, kernel)) return name;
  }
  return null;
}

function sameGrid(a, b) {
  return (
    Array.isArray(b) &&
    a.length === b.length &&
    a.every((row, r) => Array.isArray(b[r]) && row.length === b[r].length && row.every((v, c) => v === b[r][c]))
  );
}

function isInt(value) {
  return typeof value === "number" && Number.isInteger(value);
}

/** [rows, cols] from an int or a pair of ints, each >= minimum. */
export function pair(value, name = "value", minimum = 1) {
  let result;
  if (isInt(value)) result = [value, value];
  else if (Array.isArray(value) && value.length === 2 && value.every(isInt)) result = [value[0], value[1]];
  else throw new TypeError(`${name} must be an int or a pair [rows, cols] of ints, got ${JSON.stringify(value)}`);
  if (Math.min(...result) < minimum) throw new RangeError(`${name} must be >= ${minimum}, got ${JSON.stringify(value)}`);
  return result;
}

/** TensorFlow's 'same' padding for one axis: [before, after]. */
export function samePadding(n, k, s) {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * Zeros (or masked cells) added on each side: {top, bottom, left, right}.
 * `padding` is 'valid', 'same', an int p (p on every side) or a pair [rows, cols].
 */
export function paddingAmounts(height, width, kernelSize, stride, padding) {
  const [kh, kw] = pair(kernelSize, "kernel size");
  const [sr, sc] = pair(stride, "stride");
  if (padding === "valid") return { top: 0, bottom: 0, left: 0, right: 0 };
  if (padding === "same") {
    const [top, bottom] = samePadding(height, kh, sr);
    const [left, right] = samePadding(width, kw, sc);
    return { top, bottom, left, right };
  }
  if (typeof padding === "string") {
    throw new RangeError(`padding must be 'valid', 'same', an int or a pair, got ${JSON.stringify(padding)}`);
  }
  const [pr, pc] = pair(padding, "padding", 0);
  return { top: pr, bottom: pr, left: pc, right: pc };
}

/**
 * Size of one output dimension (the output-size exercise): valid floor((n-k)/s)+1,
 * int p floor((n+2p-k)/s)+1, same ceil(n/s); 0 when the kernel does not fit.
 */
export function outputSize(n, k, s = 1, padding = "valid") {
  if (!isInt(n) || n < 0) throw new RangeError(`n must be an int >= 0, got ${JSON.stringify(n)}`);
  if (!isInt(k) || k < 1) throw new RangeError(`kernel size must be an int >= 1, got ${JSON.stringify(k)}`);
  if (!isInt(s) || s < 1) throw new RangeError(`stride must be an int >= 1, got ${JSON.stringify(s)}`);
  let size;
  if (padding === "valid") size = Math.floor((n - k) / s) + 1;
  else if (padding === "same") size = Math.ceil(n / s);
  else if (isInt(padding) && padding >= 0) size = Math.floor((n + 2 * padding - k) / s) + 1;
  else throw new RangeError(`padding must be 'valid', 'same' or an int >= 0, got ${JSON.stringify(padding)}`);
  return Math.max(size, 0);
}

function checkGrid(grid, name) {
  if (!Array.isArray(grid) || grid.length === 0 || !Array.isArray(grid[0]) || grid[0].length === 0) {
    throw new TypeError(`${name} must be a non-empty 2D array`);
  }
  const width = grid[0].length;
  for (const row of grid) {
    if (!Array.isArray(row) || row.length !== width) throw new TypeError(`${name} rows must all have ${width} values`);
    for (const value of row) {
      if (typeof value !== "number" || Number.isNaN(value)) throw new TypeError(`${name} must hold numbers only`);
    }
  }
  return [grid.length, width];
}

/**
 * `grid` surrounded by `value` (0 by default). `amounts` is an int, a pair [rows, cols],
 * or {top, bottom, left, right}.
 */
export function pad(grid, amounts, value = 0) {
  let sides = amounts;
  if (isInt(amounts) || Array.isArray(amounts)) {
    const [pr, pc] = pair(amounts, "pad", 0);
    sides = { top: pr, bottom: pr, left: pc, right: pc };
  }
  const { top = 0, bottom = 0, left = 0, right = 0 } = sides;
  const width = (grid[0] ? grid[0].length : 0) + left + right;
  const border = () => new Array(width).fill(value);
  const out = [];
  for (let i = 0; i < top; i++) out.push(border());
  for (const row of grid) out.push([...new Array(left).fill(value), ...row, ...new Array(right).fill(value)]);
  for (let i = 0; i < bottom; i++) out.push(border());
  return out;
}

function zeros(rows, cols) {
  return Array.from({ length: rows }, () => new Array(cols).fill(0));
}

/**
 * Everything the visualizer animates for a convolution: the padding, the padded grid
 * (with a mask telling real cells from padding), the output shape and one entry per output
 * cell in row-major order: {row, col, top, left, value}, where (top, left) is the window's
 * corner in the padded grid.
 */
export function convolutionPlan(input, kernel, stride = 1, padding = "valid") {
  checkGrid(input, "input");
  const [kh, kw] = checkGrid(kernel, "kernel");
  const [sr, sc] = pair(stride, "stride");
  const windows = slidingWindows(input, [kh, kw], [sr, sc], padding, (padded, real, top, left) => {
    let sum = 0;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) sum += kernel[i][j] * padded[top + i][left + j];
    }
    return { value: sum };
  });
  return { kind: "convolution", ...windows };
}

/**
 * What convolution and pooling share: the padding, the padded grid and its mask, the output
 * shape, and one step per window position in row-major order, {row, col, top, left} plus
 * what `measure(padded, real, top, left)` returns for that window. `input` was checked by the caller.
 */
function slidingWindows(input, [kh, kw], [sr, sc], padding, measure) {
  const [height, width] = [input.length, input[0].length];
  const pads = paddingAmounts(height, width, [kh, kw], [sr, sc], padding);
  const padded = pad(input, pads, 0);
  const real = realMask(height, width, pads);
  const rows = Math.max(Math.floor((padded.length - kh) / sr) + 1, 0);
  const cols = Math.max(Math.floor((padded[0].length - kw) / sc) + 1, 0);
  const steps = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const top = r * sr;
      const left = c * sc;
      steps.push({ row: r, col: c, top, left, ...measure(padded, real, top, left) });
    }
  }
  return { pads, padded, real, window: [kh, kw], stride: [sr, sc], rows, cols, steps };
}

function realMask(height, width, pads) {
  return pad(
    Array.from({ length: height }, () => new Array(width).fill(true)),
    pads,
    false,
  );
}

/**
 * The pooling counterpart of convolutionPlan. `mode` is 'max' or 'average'; `stride`
 * defaults to the pool size; `padding` is 'valid' or 'same' (as in the exercises).
 * Padded cells hold 0 in `padded` but are marked false in `real` and never take part.
 * Each step also names the winning cell of a max window ({winner: [row, col]} in padded
 * coordinates) and the number of real cells that were averaged (`count`).
 */
export function poolingPlan(input, mode = "max", poolSize = 2, stride = null, padding = "valid") {
  if (mode !== "max" && mode !== "average") {
    throw new RangeError(`mode must be 'max' or 'average', got ${JSON.stringify(mode)}`);
  }
  if (padding !== "valid" && padding !== "same") {
    throw new RangeError(`pooling padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`);
  }
  checkGrid(input, "input");
  const [kh, kw] = pair(poolSize, "pool size");
  const [sr, sc] = stride === null || stride === undefined ? [kh, kw] : pair(stride, "stride");
  const windows = slidingWindows(input, [kh, kw], [sr, sc], padding, (padded, real, top, left) => {
    let best = -Infinity;
    let winner = null;
    let sum = 0;
    let count = 0;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        if (!real[top + i][left + j]) continue;
        const value = padded[top + i][left + j];
        if (value > best) {
          best = value;
          winner = [top + i, left + j];
        }
        sum += value;
        count += 1;
      }
    }
    // A window of padding only cannot occur with TensorFlow's rule, but would give -inf / NaN
    // in the references; keep the same values rather than inventing one.
    return { value: mode === "max" ? best : sum / count, winner, count };
  });
  return { kind: "pooling", mode, ...windows };
}

/** The output grid of a plan. */
export function planOutput(plan) {
  const out = zeros(plan.rows, plan.cols);
  for (const step of plan.steps) out[step.row][step.col] = step.value;
  return out;
}

/** Single-channel cross-correlation, as the conv2d exercise's reference computes it. */
export function convolve(input, kernel, stride = 1, padding = "valid") {
  return planOutput(convolutionPlan(input, kernel, stride, padding));
}

/** Max pooling of a 2D grid; padded cells never win. */
export function maxPool(input, poolSize = 2, stride = null, padding = "valid") {
  return planOutput(poolingPlan(input, "max", poolSize, stride, padding));
}

/** Average pooling of a 2D grid; padded cells are left out of the mean. */
export function avgPool(input, poolSize = 2, stride = null, padding = "valid") {
  return planOutput(poolingPlan(input, "average", poolSize, stride, padding));
}

/**
 * A number as the grids show it: at most two decimals, no trailing zeros, no "-0".
 * (1/9 -> "0.11", 3.5 -> "3.5", -0.001 -> "0", 27 -> "27").
 */
export function formatNumber(value) {
  if (value === Infinity) return "∞";
  if (value === -Infinity) return "−∞";
  if (Number.isNaN(value)) return "NaN";
  let text = value.toFixed(2);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  if (text === "-0") text = "0";
  return text;
}
