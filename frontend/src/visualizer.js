// The interactive visualization of a lesson step: a kernel (or a pooling window) sliding
// over a grid, the output filling cell by cell.
//
// Markup from the server (frontend/HOOKS.md, "visualization"):
//   <div class="visualizer" data-visualizer [data-kind="convolution|pooling"]>
//     <script type="application/json" class="visualizer-params">{"kind": ..., "input": ...}</script>
//   </div>
// Everything else is built here. Stable hooks for the browser tests: [data-control=preset|
// kernel-rows|kernel-cols|kernel-cell|stride|padding|padding-amount|pool-size|mode|speed],
// [data-action=play|pause|step|reset|finish], [data-output-size] ("R x C"), output cells
// `.viz-output td` (empty until computed, then the value with at most 2 decimals).
// The widget sets data-viz-ready="true" once built, data-state="idle|playing|paused|done",
// data-server-match="true|false" (whether the arithmetic here reproduced the server's
// output for the initial params).

import {
  KERNEL_PRESETS,
  PRESET_LABELS,
  convolutionPlan,
  formatNumber,
  matchPreset,
  planOutput,
  poolingPlan,
  presetKernel,
} from "./conv.js";
import { h, prefersReducedMotion, readJson, uniqueId } from "./dom.js";

const SPEEDS = { slow: 1200, normal: 650, fast: 250 };
const LIMITS = { stride: [1, 8], paddingAmount: [0, 4], kernel: [1, 6], poolSize: [1, 6] };

/** Start every [data-visualizer] inside `root`. */
export function initVisualizers(root = document) {
  for (const element of root.querySelectorAll("[data-visualizer]")) {
    if (element.dataset.vizReady) continue;
    try {
      new Visualizer(element);
    } catch (error) {
      console.error("stride: visualizer failed", error);
      element.append(h("p", { class: "viz-error", role: "alert" }, "This visualization could not be shown."));
    }
  }
}

function parseInteger(text, [min, max]) {
  if (!/^\s*-?\d+\s*$/.test(text)) return null;
  const value = Number.parseInt(text, 10);
  return value >= min && value <= max ? value : null;
}

function firstOf(value) {
  // The widget has one stride / padding control for both axes; a pair uses its rows value.
  return Array.isArray(value) ? value[0] : value;
}

class Visualizer {
  constructor(element) {
    this.element = element;
    const params = readJson(element.querySelector("script.visualizer-params"));
    if (!params || !Array.isArray(params.input)) throw new Error("visualizer params without an input grid");
    this.params = params;
    this.kind = visualizationKind(params, element);
    this.input = params.input;
    this.timer = null;
    this.cursor = 0; // cells computed so far
    this.state = this.initialState(params);
    this.build();
    this.recompute({ keepProgress: false });
    this.checkServerOutput(params.output);
    element.dataset.vizReady = "true";
    element.dataset.kind = this.kind;
  }

  initialState(params) {
    const padding = firstOf(params.padding ?? "valid");
    const common = {
      stride: Number.isInteger(firstOf(params.stride)) ? firstOf(params.stride) : null,
      padding: padding === "valid" || padding === "same" ? padding : "int",
      paddingAmount: Number.isInteger(padding) ? padding : 1,
      speed: "normal",
    };
    if (this.kind === "pooling") {
      const poolSize = Number.isInteger(firstOf(params.pool_size)) ? firstOf(params.pool_size) : 2;
      return {
        ...common,
        mode: params.mode === "average" ? "average" : "max",
        poolSize,
        stride: common.stride ?? poolSize,
        padding: common.padding === "same" ? "same" : "valid",
      };
    }
    let kernel = Array.isArray(params.kernel) && params.kernel.length ? params.kernel.map((row) => row.slice()) : null;
    let preset;
    if (kernel) preset = matchPreset(kernel) || "custom";
    else {
      preset = KERNEL_PRESETS[params.preset] ? params.preset : "vertical-edge";
      kernel = presetKernel(preset);
    }
    return { ...common, stride: common.stride ?? 1, kernel, preset };
  }

  // -- building ---------------------------------------------------------------------------

  build() {
    const isConv = this.kind === "convolution";
    this.controls = h("div", { class: "viz-controls", role: "group", "aria-label": "Settings" });
    if (isConv) this.buildConvControls();
    else this.buildPoolControls();

    this.buttons = {};
    const button = (action, label, extra = {}) => {
      const element = h(
        "button",
        { type: "button", class: "button secondary", dataset: { action }, onclick: () => this[action](), ...extra },
        label,
      );
      this.buttons[action] = element;
      return element;
    };
    const speedId = uniqueId("viz-speed");
    this.speedSelect = h(
      "select",
      { id: speedId, dataset: { control: "speed" }, onchange: () => this.changeSpeed() },
      Object.keys(SPEEDS).map((name) =>
        h("option", { value: name, selected: name === this.state.speed }, name[0].toUpperCase() + name.slice(1)),
      ),
    );
    const playback = h(
      "div",
      { class: "viz-playback cluster", role: "group", "aria-label": "Animation" },
      button("play", "▶ Play", { class: "button primary", "aria-label": "Play" }),
      button("pause", "❚❚ Pause", { "aria-label": "Pause" }),
      button("step", "Step", { "aria-label": "Step: compute the next cell" }),
      button("finish", "Finish", { "aria-label": "Finish: compute every cell" }),
      button("reset", "Reset", { "aria-label": "Reset: clear the output" }),
      h("span", { class: "viz-field viz-speed" }, h("label", { for: speedId }, "Speed"), this.speedSelect),
    );

    this.outputSize = h("strong", { dataset: { outputSize: "" } });
    this.paddingNote = h("span", { class: "viz-padding-note muted" });
    const summary = h(
      "p",
      { class: "viz-summary", "aria-live": "polite" },
      h("span", { class: "viz-output-size" }, "Output size: ", this.outputSize),
      " ",
      this.paddingNote,
    );

    this.inputGrid = h("div", { class: "viz-grid", role: "table" });
    this.windowBox = h("div", { class: "viz-window", "aria-hidden": "true", hidden: true });
    this.outputTable = h("table", { class: "viz-table" });
    const inputPanel = h(
      "figure",
      { class: "viz-panel viz-input" },
      h("figcaption", {}, isConv ? "Input with zero padding" : "Input"),
      h("div", { class: "viz-scroll" }, this.inputGrid),
    );
    const middle = isConv
      ? h(
          "figure",
          { class: "viz-panel viz-kernel-panel" },
          h("figcaption", { id: (this.kernelCaptionId = uniqueId("viz-kernel")) }, "Kernel"),
          h("div", { class: "viz-scroll" }, this.kernelTable),
          this.kernelSizeControls,
        )
      : h(
          "figure",
          { class: "viz-panel viz-window-panel" },
          h("figcaption", {}, "Window"),
          (this.windowDescription = h("p", { class: "viz-window-text" })),
        );
    if (isConv) this.kernelTable.setAttribute("aria-labelledby", this.kernelCaptionId);
    const outputPanel = h(
      "figure",
      { class: "viz-panel viz-output" },
      h("figcaption", {}, isConv ? "Feature map" : "Pooled map"),
      h("div", { class: "viz-scroll" }, this.outputTable),
    );
    this.calc = h("p", { class: "viz-calc", "aria-live": "polite" });
    this.error = h("p", { class: "viz-error field-error", role: "alert", hidden: true });
    const legend = h(
      "ul",
      { class: "viz-legend", "aria-label": "Legend" },
      h(
        "li",
        {},
        h("span", { class: "viz-swatch pad", "aria-hidden": "true" }),
        isConv ? "zero padding" : "padding (never counted)",
      ),
      h("li", {}, h("span", { class: "viz-swatch window", "aria-hidden": "true" }), "current window"),
      !isConv ? h("li", {}, h("span", { class: "viz-swatch winner", "aria-hidden": "true" }), "window maximum") : null,
      h("li", {}, h("span", { class: "viz-swatch current", "aria-hidden": "true" }), "newest output cell"),
    );
    this.legend = legend;

    const operator = (symbol) => h("span", { class: "viz-op", "aria-hidden": "true" }, symbol);
    const stage = h(
      "div",
      { class: "viz-stage" },
      inputPanel,
      operator(isConv ? "⋆" : "→"),
      middle,
      operator("="),
      outputPanel,
    );
    const body = h(
      "div",
      { class: "viz-body stack" },
      this.controls,
      playback,
      summary,
      stage,
      this.calc,
      legend,
      this.error,
    );
    // The widget may sit inside a form (the lesson's step form): Enter in one of its fields must
    // not submit that form (and complete the step); it just applies the value.
    body.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.target instanceof HTMLInputElement) {
        event.preventDefault();
        event.target.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    this.element.append(body);
  }

  field(labelText, control, extraClass = "") {
    const id = control.id || uniqueId("viz-field");
    control.id = id;
    return h("div", { class: `viz-field ${extraClass}`.trim() }, h("label", { for: id }, labelText), control);
  }

  buildConvControls() {
    const s = this.state;
    this.presetSelect = h(
      "select",
      { dataset: { control: "preset" }, onchange: () => this.changePreset() },
      Object.entries(PRESET_LABELS).map(([value, label]) => h("option", { value, selected: value === s.preset }, label)),
      h("option", { value: "custom", selected: s.preset === "custom" }, "Custom"),
    );
    this.strideInput = this.numberInput("stride", s.stride, LIMITS.stride);
    this.paddingSelect = h(
      "select",
      { dataset: { control: "padding" }, onchange: () => this.changePadding() },
      h("option", { value: "valid", selected: s.padding === "valid" }, "valid"),
      h("option", { value: "same", selected: s.padding === "same" }, "same"),
      h("option", { value: "int", selected: s.padding === "int" }, "int"),
    );
    this.paddingAmountInput = this.numberInput("padding-amount", s.paddingAmount, LIMITS.paddingAmount);
    this.paddingAmountField = this.field("Zeros per side", this.paddingAmountInput, "viz-padding-amount");
    this.paddingAmountField.hidden = s.padding !== "int";
    this.controls.append(
      this.field("Kernel preset", this.presetSelect),
      this.field("Stride", this.strideInput),
      this.field("Padding", this.paddingSelect),
      this.paddingAmountField,
    );

    this.kernelRowsInput = this.numberInput("kernel-rows", s.kernel.length, LIMITS.kernel);
    this.kernelColsInput = this.numberInput("kernel-cols", s.kernel[0].length, LIMITS.kernel);
    this.kernelSizeControls = h(
      "div",
      { class: "viz-kernel-size cluster" },
      this.field("Rows", this.kernelRowsInput),
      this.field("Columns", this.kernelColsInput),
    );
    this.kernelTable = h("table", { class: "viz-table viz-kernel" });
    this.renderKernel();
  }

  buildPoolControls() {
    const s = this.state;
    this.modeSelect = h(
      "select",
      { dataset: { control: "mode" }, onchange: () => this.changeSetting() },
      h("option", { value: "max", selected: s.mode === "max" }, "max"),
      h("option", { value: "average", selected: s.mode === "average" }, "average"),
    );
    this.poolSizeInput = this.numberInput("pool-size", s.poolSize, LIMITS.poolSize);
    this.strideInput = this.numberInput("stride", s.stride, LIMITS.stride);
    this.paddingSelect = h(
      "select",
      { dataset: { control: "padding" }, onchange: () => this.changeSetting() },
      h("option", { value: "valid", selected: s.padding === "valid" }, "valid"),
      h("option", { value: "same", selected: s.padding === "same" }, "same"),
    );
    this.controls.append(
      this.field("Pooling", this.modeSelect),
      this.field("Window size", this.poolSizeInput),
      this.field("Stride", this.strideInput),
      this.field("Padding", this.paddingSelect),
    );
  }

  numberInput(control, value, [min, max]) {
    return h("input", {
      type: "number",
      inputmode: "numeric",
      min,
      max,
      step: 1,
      value: String(value),
      class: "viz-number",
      dataset: { control },
      oninput: () => this.changeSetting(),
    });
  }

  renderKernel() {
    const { kernel } = this.state;
    const rows = kernel.map((row, r) =>
      h(
        "tr",
        {},
        row.map((value, c) =>
          h(
            "td",
            {},
            h("input", {
              type: "number",
              step: "any",
              class: "viz-kernel-input",
              value: kernelText(value),
              title: kernelTitle(value),
              "aria-label": `Kernel weight, row ${r + 1}, column ${c + 1}`,
              dataset: { control: "kernel-cell", row: String(r), col: String(c) },
              oninput: (event) => this.changeKernelCell(event.target, r, c),
            }),
          ),
        ),
      ),
    );
    this.kernelTable.replaceChildren(h("tbody", {}, rows));
  }

  // -- changes from the controls ----------------------------------------------------------

  changePreset() {
    const name = this.presetSelect.value;
    if (name === "custom") return; // keep the weights, now editable as they are
    this.state.preset = name;
    this.state.kernel = presetKernel(name);
    this.kernelRowsInput.value = "3";
    this.kernelColsInput.value = "3";
    this.renderKernel();
    this.changeSetting();
  }

  changePadding() {
    this.paddingAmountField.hidden = this.paddingSelect.value !== "int";
    this.changeSetting();
  }

  changeKernelCell(input, r, c) {
    const value = input.value.trim() === "" ? Number.NaN : Number(input.value);
    input.setAttribute("aria-invalid", String(!Number.isFinite(value)));
    if (!Number.isFinite(value)) {
      this.showError(`Kernel row ${r + 1}, column ${c + 1} needs a number.`);
      return;
    }
    this.state.kernel[r][c] = value;
    input.title = kernelTitle(value);
    this.state.preset = matchPreset(this.state.kernel) || "custom";
    this.presetSelect.value = this.state.preset;
    this.changeSetting();
  }

  /** Read every control; on a bad value say which and keep the last good picture. */
  changeSetting() {
    const problems = [];
    const read = (input, limits, label) => {
      const value = parseInteger(input.value, limits);
      input.setAttribute("aria-invalid", String(value === null));
      if (value === null) problems.push(`${label} must be a whole number from ${limits[0]} to ${limits[1]}.`);
      return value;
    };
    const s = this.state;
    const stride = read(this.strideInput, LIMITS.stride, "Stride");
    const padding = this.paddingSelect.value;
    if (this.kind === "convolution") {
      const amount = padding === "int" ? read(this.paddingAmountInput, LIMITS.paddingAmount, "Zeros per side") : s.paddingAmount;
      const rows = read(this.kernelRowsInput, LIMITS.kernel, "Kernel rows");
      const cols = read(this.kernelColsInput, LIMITS.kernel, "Kernel columns");
      if (problems.length) return this.showError(problems.join(" "));
      for (const input of this.kernelTable.querySelectorAll("input")) {
        if (input.getAttribute("aria-invalid") === "true") return this.showError("Every kernel weight needs a number.");
      }
      if (rows !== s.kernel.length || cols !== s.kernel[0].length) {
        s.kernel = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => s.kernel[r]?.[c] ?? 0));
        s.preset = matchPreset(s.kernel) || "custom";
        this.presetSelect.value = s.preset;
        this.renderKernel();
      }
      Object.assign(s, { stride, padding, paddingAmount: amount });
    } else {
      const poolSize = read(this.poolSizeInput, LIMITS.poolSize, "Window size");
      if (problems.length) return this.showError(problems.join(" "));
      Object.assign(s, { stride, padding, poolSize, mode: this.modeSelect.value });
    }
    this.showError("");
    this.recompute({ keepProgress: true });
  }

  changeSpeed() {
    this.state.speed = this.speedSelect.value;
    if (this.timer !== null) {
      this.stopTimer();
      this.startTimer();
    }
  }

  showError(message) {
    this.error.textContent = message;
    this.error.hidden = !message;
  }

  // -- computing and drawing --------------------------------------------------------------

  currentPlan() {
    const s = this.state;
    if (this.kind === "convolution") {
      return convolutionPlan(this.input, s.kernel, s.stride, s.padding === "int" ? s.paddingAmount : s.padding);
    }
    return poolingPlan(this.input, s.mode, s.poolSize, s.stride, s.padding);
  }

  recompute({ keepProgress }) {
    const wasDone = this.plan && this.cursor === this.plan.steps.length && this.cursor > 0;
    this.stopTimer();
    this.plan = this.currentPlan();
    this.cursor = keepProgress && wasDone ? this.plan.steps.length : 0;
    const { rows, cols, pads } = this.plan;
    this.outputSize.textContent = `${rows} x ${cols}`;
    const padded = pads.top + pads.bottom + pads.left + pads.right > 0;
    this.paddingNote.textContent = padded
      ? `(padding: ${pads.top} top, ${pads.bottom} bottom, ${pads.left} left, ${pads.right} right)`
      : "(no padding)";
    if (this.windowDescription) {
      const [kh, kw] = this.plan.window;
      const [sr, sc] = this.plan.stride;
      this.windowDescription.textContent = `${kh} x ${kw} ${this.state.mode === "max" ? "max" : "average"}, moving ${sr === sc ? sr : `${sr} x ${sc}`} cell${sr === 1 && sc === 1 ? "" : "s"} per step`;
    }
    this.renderInput();
    this.renderOutput();
    this.draw();
  }

  renderInput() {
    const { padded, real } = this.plan;
    const isConv = this.kind === "convolution";
    const values = this.input.flat();
    const low = Math.min(...values);
    const high = Math.max(...values);
    this.inputGrid.style.setProperty("--cols", String(padded[0].length));
    this.inputGrid.setAttribute(
      "aria-label",
      `Input, ${this.input.length} by ${this.input[0].length}${padded.length !== this.input.length || padded[0].length !== this.input[0].length ? `, padded to ${padded.length} by ${padded[0].length}` : ""}`,
    );
    this.inputCells = padded.map((row, r) =>
      row.map((value, c) => {
        const isReal = real[r][c];
        const cell = h(
          "div",
          { role: "cell", class: isReal ? "viz-cell" : "viz-cell pad" },
          h("span", { class: "viz-value" }, isReal || isConv ? formatNumber(value) : ""),
        );
        if (!isReal && !isConv) cell.setAttribute("aria-label", "padding");
        if (isReal) cell.style.setProperty("--tone", `${tone(value, low, high)}%`);
        return cell;
      }),
    );
    this.inputGrid.replaceChildren(
      ...this.inputCells.map((cells) => h("div", { role: "row", class: "viz-row" }, cells)),
      this.windowBox,
    );
  }

  renderOutput() {
    const { rows, cols } = this.plan;
    this.outputCells = Array.from({ length: rows }, () => Array.from({ length: cols }, () => h("td", {})));
    const label = `${this.kind === "convolution" ? "Feature map" : "Pooled map"}, ${rows} by ${cols}`;
    this.outputTable.setAttribute("aria-label", label);
    this.outputTable.replaceChildren(h("tbody", {}, this.outputCells.map((cells) => h("tr", {}, cells))));
    if (rows === 0 || cols === 0) {
      this.outputTable.replaceChildren();
    }
  }

  /** Bring the grids up to date with `this.cursor` cells computed. */
  draw() {
    const { steps } = this.plan;
    const values = steps.map((step) => step.value).filter(Number.isFinite);
    const extent = Math.max(1e-12, ...values.map(Math.abs));
    for (const [index, step] of steps.entries()) {
      const cell = this.outputCells[step.row][step.col];
      const done = index < this.cursor;
      cell.textContent = done ? formatNumber(step.value) : "";
      cell.classList.toggle("pending", !done);
      cell.classList.toggle("current", done && index === this.cursor - 1);
      cell.classList.toggle("positive", done && step.value > 0);
      cell.classList.toggle("negative", done && step.value < 0);
      if (done) cell.style.setProperty("--heat", (Math.abs(step.value) / extent).toFixed(3));
      else cell.style.removeProperty("--heat");
      cell.title = done ? String(step.value) : "";
    }
    for (const row of this.inputCells) {
      for (const cell of row) {
        cell.classList.remove("in-window", "winner");
        const weight = cell.querySelector(".viz-weight");
        if (weight) weight.remove();
      }
    }
    const step = this.cursor > 0 ? steps[this.cursor - 1] : null;
    this.windowBox.hidden = !step;
    if (step) this.highlight(step);
    this.describe(step);
    this.updateState();
  }

  highlight(step) {
    const [kh, kw] = this.plan.window;
    this.windowBox.style.gridRow = `${step.top + 1} / span ${kh}`;
    this.windowBox.style.gridColumn = `${step.left + 1} / span ${kw}`;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const cell = this.inputCells[step.top + i][step.left + j];
        cell.classList.add("in-window");
        if (this.kind === "convolution") {
          cell.append(h("span", { class: "viz-weight", "aria-hidden": "true" }, `×${kernelText(this.state.kernel[i][j], 2)}`));
        }
      }
    }
    if (this.kind === "pooling" && this.state.mode === "max" && step.winner) {
      this.inputCells[step.winner[0]][step.winner[1]].classList.add("winner");
    }
  }

  describe(step) {
    const total = this.plan.steps.length;
    if (total === 0) {
      this.calc.textContent =
        this.kind === "convolution"
          ? "The kernel does not fit inside the input with these settings: the output is empty. Try padding or a smaller kernel."
          : "The window does not fit inside the input with these settings: the output is empty.";
      return;
    }
    if (!step) {
      this.calc.textContent = `Press Play or Step to compute the ${total} output cell${total === 1 ? "" : "s"} one by one.`;
      return;
    }
    const where = `Cell ${this.cursor} of ${total} (row ${step.row + 1}, column ${step.col + 1})`;
    const [kh, kw] = this.plan.window;
    const { padded, real } = this.plan;
    if (this.kind === "convolution") {
      const terms = [];
      for (let i = 0; i < kh; i++) {
        for (let j = 0; j < kw; j++) {
          terms.push(`${formatNumber(padded[step.top + i][step.left + j])}×${kernelText(this.state.kernel[i][j], 2)}`);
        }
      }
      this.calc.textContent = `${where}: ${terms.join(" + ")} = ${formatNumber(step.value)}`;
      return;
    }
    const cells = [];
    let skipped = 0;
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        if (real[step.top + i][step.left + j]) cells.push(formatNumber(padded[step.top + i][step.left + j]));
        else skipped += 1;
      }
    }
    const note = skipped ? ` (${skipped} padded cell${skipped === 1 ? "" : "s"} left out)` : "";
    this.calc.textContent =
      this.state.mode === "max"
        ? `${where}: max(${cells.join(", ")}) = ${formatNumber(step.value)}${note}`
        : `${where}: (${cells.join(" + ")}) / ${step.count} = ${formatNumber(step.value)}${note}`;
  }

  updateState() {
    const total = this.plan.steps.length;
    const playing = this.timer !== null;
    let state = "paused";
    if (playing) state = "playing";
    else if (this.cursor === 0) state = "idle";
    else if (this.cursor >= total) state = "done";
    this.element.dataset.state = state;
    this.buttons.play.setAttribute("aria-pressed", String(playing));
    this.buttons.pause.setAttribute("aria-pressed", String(!playing && state === "paused"));
    // Announcing every cell while playing would drown a screen reader: only manual steps speak.
    this.calc.setAttribute("aria-live", playing ? "off" : "polite");
  }

  // -- playback ---------------------------------------------------------------------------

  play() {
    if (this.timer !== null || this.plan.steps.length === 0) return;
    if (this.cursor >= this.plan.steps.length) this.cursor = 0;
    if (prefersReducedMotion() && this.state.speed !== "slow") {
      // Still animated (the point of the widget), but never faster than normal.
      this.state.speed = "normal";
      this.speedSelect.value = "normal";
    }
    this.startTimer();
    this.advance();
  }

  pause() {
    this.stopTimer();
    this.updateState();
  }

  step() {
    this.stopTimer();
    if (this.cursor < this.plan.steps.length) this.cursor += 1;
    this.draw();
  }

  finish() {
    this.stopTimer();
    this.cursor = this.plan.steps.length;
    this.draw();
    this.calc.textContent = `All ${this.cursor} output cell${this.cursor === 1 ? "" : "s"} computed. ${this.calc.textContent}`;
  }

  reset() {
    this.stopTimer();
    this.cursor = 0;
    this.draw();
  }

  advance() {
    if (this.cursor < this.plan.steps.length) this.cursor += 1;
    if (this.cursor >= this.plan.steps.length) this.stopTimer();
    this.draw();
  }

  startTimer() {
    this.timer = window.setInterval(() => this.advance(), SPEEDS[this.state.speed] ?? SPEEDS.normal);
  }

  stopTimer() {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }

  /** Compare the initial computation with the output the server computed with the grader's references. */
  checkServerOutput(expected) {
    if (!Array.isArray(expected)) return;
    const actual = planOutput(this.plan);
    const matches =
      expected.length === actual.length &&
      expected.every(
        (row, r) =>
          Array.isArray(row) &&
          row.length === actual[r].length &&
          row.every((value, c) => Math.abs(value - actual[r][c]) <= 1e-9 * Math.max(1, Math.abs(value))),
      );
    this.element.dataset.serverMatch = String(matches);
    if (!matches) console.warn("stride: visualizer output differs from the server's", { expected, actual });
  }
}

/**
 * "convolution" or "pooling": the params' kind, else the element's data-kind, else what the
 * params look like (a pooling step has a mode or a pool size and no kernel).
 */
export function visualizationKind(params, element = null) {
  const named = params.kind || (element && element.dataset.kind);
  if (named === "pooling" || named === "convolution") return named;
  const pooling = ("mode" in params || "pool_size" in params) && !("kernel" in params || "preset" in params);
  return pooling ? "pooling" : "convolution";
}

/** Lightness (%) of an input cell: dark values darker, always light enough for dark text (AA). */
function tone(value, low, high) {
  if (!(high > low)) return 92;
  return Math.round(62 + ((value - low) / (high - low)) * 36);
}

function kernelText(value, decimals = 3) {
  if (Number.isInteger(value)) return String(value);
  const text = value.toFixed(decimals).replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" ? "0" : text;
}

function kernelTitle(value) {
  return Math.abs(value - 1 / 9) < 1e-12 ? "1/9" : String(value);
}
