"""Checks for vertical_edge_kernel(). Many kernels are correct, so every case uses check=.

A check receives the student's kernel and returns None when it is fine, or a message.
Feature maps are computed here with a small 'valid' cross-correlation helper.
"""

import numpy as np

from grader.spec import case

SHAPE_HINT = "Return a 3x3 NumPy array: three rows of three weights."
STRENGTH_HINT = (
    "Where the window straddles a vertical edge the response must be at least as large as the step height: "
    "weight the left and right columns with opposite signs."
)
FLAT_HINT = "Each row of the kernel must sum to 0 so that a flat (constant) region gives exactly 0."
HORIZONTAL_HINT = "A horizontal edge must give 0: make every row of the kernel sum to 0, not only the whole kernel."


def _kernel(output):
    """(kernel as float64, None) or (None, what is wrong)."""
    try:
        array = np.asarray(output)
    except Exception:
        return None, "the function must return a NumPy array"
    if array.dtype.kind not in "biuf":
        return None, f"the kernel must hold real numbers, not dtype {array.dtype}"
    if array.shape != (3, 3):
        return None, f"the kernel must have shape (3, 3), got {array.shape}"
    kernel = array.astype(np.float64)
    if not np.all(np.isfinite(kernel)):
        return None, "the kernel contains NaN or infinite values"
    return kernel, None


def _feature_map(image, kernel):
    """'valid' cross-correlation of a 2D image with a 3x3 kernel (not flipped)."""
    h, w = image.shape
    out = np.zeros((h - 2, w - 2))
    for i in range(3):
        for j in range(3):
            out += kernel[i, j] * image[i : i + h - 2, j : j + w - 2]
    return out


def _tolerance(image, kernel):
    return 1e-9 * (1.0 + np.abs(image).max()) * (1.0 + np.abs(kernel).sum())


def _vertical_step(h, w, column, left, right):
    image = np.full((h, w), float(left))
    image[:, column:] = float(right)
    return image


def _horizontal_step(h, w, row, top, bottom):
    image = np.full((h, w), float(top))
    image[row:, :] = float(bottom)
    return image


def check_shape(output):
    return _kernel(output)[1]


def check_float64(output):
    kernel, problem = _kernel(output)
    if problem:
        return problem
    if np.asarray(output).dtype != np.float64:
        return f"the kernel must be a float64 array, got dtype {np.asarray(output).dtype}"
    return None


def edge_response(h, w, column, left, right):
    """Some window straddling the vertical step must respond with |value| >= step height, in every row.

    Callers place the step at column 2 .. w-2, so both straddling windows exist.
    """

    def check(output):
        kernel, problem = _kernel(output)
        if problem:
            return problem
        image = _vertical_step(h, w, column, left, right)
        fmap = _feature_map(image, kernel)
        straddling = fmap[:, max(column - 2, 0) : column]  # output columns whose window contains the step
        strongest = np.abs(straddling).max(axis=1).min()
        height = abs(right - left)
        if strongest < height * (1 - 1e-9) - _tolerance(image, kernel):
            return (
                f"along a vertical edge the strongest response is only {strongest / height:.2f} times the step "
                "height; it must be at least 1 times the step height"
            )
        return None

    return check


def zero_response(image, what):
    """Every value of the feature map of ``image`` must be 0 (within a tiny tolerance)."""

    def check(output):
        kernel, problem = _kernel(output)
        if problem:
            return problem
        fmap = _feature_map(image, kernel)
        if np.abs(fmap).max() > _tolerance(image, kernel):
            return f"the feature map of {what} must be all zeros, but it is not"
        return None

    return check


def zero_away_from_edge(h, w, column, left, right):
    """Windows that lie entirely on one side of the vertical step must give 0."""

    def check(output):
        kernel, problem = _kernel(output)
        if problem:
            return problem
        image = _vertical_step(h, w, column, left, right)
        fmap = _feature_map(image, kernel)
        away = np.ones(fmap.shape[1], dtype=bool)
        away[max(column - 2, 0) : column] = False
        if np.abs(fmap[:, away]).max() > _tolerance(image, kernel):
            return "windows that lie entirely on one side of a vertical edge must give 0, but some do not"
        return None

    return check


def visible_cases():
    return [
        case("returns a 3x3 array", check=check_shape, hint=SHAPE_HINT),
        case(
            "responds to a dark-to-bright vertical edge",
            check=edge_response(6, 8, 4, 0.0, 1.0),
            hint=STRENGTH_HINT,
        ),
        case(
            "flat image gives zero",
            check=zero_response(np.ones((5, 5)), "a flat image of ones"),
            hint=FLAT_HINT,
        ),
    ]


def hidden_cases():
    return [
        case("returns float64 values", check=check_float64, hint="Build the kernel with dtype=np.float64."),
        case("bright-to-dark vertical edge", check=edge_response(8, 10, 5, 255.0, 0.0), hint=STRENGTH_HINT),
        case("vertical edge in a non-square image", check=edge_response(5, 12, 7, -3.0, 2.0), hint=STRENGTH_HINT),
        case("vertical edge in a tiny image", check=edge_response(4, 4, 2, 0.0, 1.0), hint=STRENGTH_HINT),
        case("zero away from the vertical edge", check=zero_away_from_edge(6, 14, 6, 10.0, 50.0), hint=FLAT_HINT),
        case(
            "horizontal edge gives zero",
            check=zero_response(_horizontal_step(8, 6, 4, 0.0, 1.0), "a horizontal edge"),
            hint=HORIZONTAL_HINT,
        ),
        case(
            "horizontal bright-to-dark edge gives zero",
            check=zero_response(_horizontal_step(7, 9, 2, 255.0, 0.0), "a horizontal edge"),
            hint=HORIZONTAL_HINT,
        ),
        case(
            "flat negative image gives zero",
            check=zero_response(np.full((4, 6), -7.5), "a flat negative image"),
            hint=FLAT_HINT,
        ),
        case(
            "flat bright image gives zero",
            check=zero_response(np.full((6, 4), 255.0), "a flat bright image"),
            hint=FLAT_HINT,
        ),
    ]


def random_cases(rng):
    # The step is placed so that both windows that straddle it exist (column 2 .. w-2).
    h, w = int(rng.integers(3, 21)), int(rng.integers(4, 21))
    column = int(rng.integers(2, w - 1))
    left = float(rng.uniform(-100, 100))
    right = left + float(rng.choice([-1.0, 1.0])) * float(rng.uniform(1, 100))
    hh, hw = int(rng.integers(4, 21)), int(rng.integers(3, 21))
    row = int(rng.integers(2, hh - 1))
    top, bottom = (float(v) for v in rng.uniform(-100, 100, size=2))
    fh, fw = (int(v) for v in rng.integers(3, 21, size=2))
    level = float(rng.uniform(-300, 300))
    return [
        case("random vertical edge", check=edge_response(h, w, column, left, right), hint=STRENGTH_HINT),
        case(
            "random horizontal edge",
            check=zero_response(_horizontal_step(hh, hw, row, top, bottom), "a horizontal edge"),
            hint=HORIZONTAL_HINT,
        ),
        case(
            "random flat image",
            check=zero_response(np.full((fh, fw), level), "a flat image"),
            hint=FLAT_HINT,
        ),
    ]
