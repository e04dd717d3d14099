"""Parameters of the lessons' interactive visualizations, completed on the trusted side.

The browser animates a kernel sliding over a grid (or a pooling window); the server sends
the kernel a preset names and the finished output computed with the exercises' own
reference functions, so what a lesson shows always agrees with what the grader accepts.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from grader.package import find_exercise

KERNEL_PRESETS: dict[str, list[list[float]]] = {
    # Negative weights on the left, positive on the right: dark-to-bright edges (left to right) light up
    # with positive values, which survive the ReLU that follows.
    "vertical-edge": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
    "horizontal-edge": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
}


@functools.cache
def _reference(slug: str):
    return find_exercise(slug).reference_function


def _padding(value: Any) -> str | int:
    return value if value in ("valid", "same") else int(value)


def convolve(grid, kernel, stride: int = 1, padding: str | int = "valid") -> list[list[float]]:
    """The feature map, as the conv2d exercise's reference computes it."""
    out = _reference("conv2d")(np.array(grid, dtype=float), np.array(kernel, dtype=float), stride, padding)
    return out.tolist()


def pool(grid, mode: str = "max", pool_size: int = 2, stride: int | None = None, padding: str = "valid"):
    """The pooled grid, as the max-pool or avg-pool exercise's reference computes it."""
    slug = "max-pool" if mode == "max" else "avg-pool"
    return _reference(slug)(np.array(grid, dtype=float), pool_size, stride, padding).tolist()


def resolved_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The step's params with the preset's kernel filled in and the expected output added."""
    resolved = {**params, "kind": kind}
    try:
        if kind == "convolution":
            kernel = params.get("kernel") or KERNEL_PRESETS[params.get("preset", "vertical-edge")]
            resolved["kernel"] = kernel
            resolved.setdefault("stride", 1)
            resolved.setdefault("padding", "valid")
            resolved["output"] = convolve(params["input"], kernel, resolved["stride"], _padding(resolved["padding"]))
        elif kind == "pooling":
            resolved.setdefault("mode", "max")
            resolved.setdefault("pool_size", 2)
            resolved.setdefault("padding", "valid")
            stride = resolved.get("stride") or resolved["pool_size"]
            resolved["stride"] = stride
            resolved["output"] = pool(
                params["input"], resolved["mode"], resolved["pool_size"], stride, resolved["padding"]
            )
    except (KeyError, ValueError, TypeError):  # validated on import; a bad grid shows without an output
        resolved["output"] = None
    return resolved
