"""Test cases for relu: element-wise max(x, 0), any shape, new float64 array."""

import numpy as np

from grader.spec import case

DTYPE_HINT = "Convert to float64 first: the result must be float64 whatever the input dtype."
SHAPE_HINT = "Work element-wise on the whole array and keep its shape (do not flatten it)."


def visible_cases():
    return [
        case(
            "mixed signs in 1D",
            np.array([-2.0, -0.5, 0.0, 0.5, 3.0]),
            expect=np.array([0.0, 0.0, 0.0, 0.5, 3.0]),
            hint="Negative values become 0; zero and positive values stay as they are.",
        ),
        case(
            "2D feature map",
            np.array([[1.5, -1.0, 0.0], [-3.0, 4.0, -0.25]]),
            expect=np.array([[1.5, 0.0, 0.0], [0.0, 4.0, 0.0]]),
            hint="Return a new array and keep the input unchanged.",
        ),
    ]


def hidden_cases():
    rng = np.random.default_rng(4242)  # fixed: these edge cases are the same for every submission
    return [
        case(
            "all negative values",
            -rng.uniform(0.1, 10.0, size=(4, 5)),
            hint="All values are negative: the result is all zeros, in a new array (the input must not change).",
        ),
        case(
            "all positive values",
            rng.uniform(0.1, 10.0, size=(3, 4)),
            hint="Positive values must come back unchanged.",
        ),
        case(
            "3D channels-last tensor",
            rng.normal(size=(6, 5, 4)),
            hint="Handle (H, W, C) feature maps: any number of dimensions, shape preserved.",
        ),
        case("4D batch", rng.normal(size=(2, 3, 4, 5)), hint=SHAPE_HINT),
        case(
            "uint8 image",
            rng.integers(0, 255, size=(5, 6), endpoint=True).astype(np.uint8),
            hint="uint8 arithmetic wraps around above 255: convert to float64 before computing.",
        ),
        case(
            "int8 extremes",
            np.array([[-128, -1, 0], [1, 100, 127]], dtype=np.int8),
            hint="Small integer types overflow (e.g. x + abs(x) for 127): convert to float64 before computing.",
        ),
        case("int64 values", rng.integers(-1000, 1000, size=(4, 4)), hint=DTYPE_HINT),
        case("float32 input", rng.normal(size=(3, 5)).astype(np.float32), hint=DTYPE_HINT),
        case(
            "empty array",
            np.zeros((0, 3)),
            hint="An empty input gives an empty float64 output of the same shape.",
        ),
        case(
            "large and tiny magnitudes",
            np.array([1e300, -1e300, 1e-300, -1e-300, 12345.678, -0.0]),
            hint="Do not scale, round or add to the values: just keep the positive ones.",
        ),
        case("single element", np.array([-7.0]), hint=SHAPE_HINT),
    ]


def random_cases(rng):
    ndim = int(rng.integers(1, 5))
    shape = tuple(int(v) for v in rng.integers(1, 7, size=ndim))
    h, w = (int(v) for v in rng.integers(1, 30, size=2))
    return [
        case("random float tensor", rng.normal(scale=5.0, size=shape), hint=SHAPE_HINT),
        case("random integers", rng.integers(-500, 500, size=(h, w)), hint=DTYPE_HINT),
        case(
            "random uint8 channels",
            rng.integers(0, 255, size=(h, w, 3), endpoint=True).astype(np.uint8),
            hint="uint8 arithmetic wraps around above 255: convert to float64 before computing.",
        ),
    ]
