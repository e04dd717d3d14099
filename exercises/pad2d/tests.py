"""Test cases for pad2d: zero padding of (H, W) and channels-last (H, W, C) arrays."""

import numpy as np

from grader.spec import case

CHANNEL_HINT = "Only the two spatial axes get zeros: the channel axis of an (H, W, C) image keeps its size."
DTYPE_HINT = "Return float64 whatever the input dtype: convert (or allocate a float64 result) before copying."


def _ints(rng, shape, low=-9, high=9, dtype=np.float64):
    return rng.integers(low, high, size=shape, endpoint=True).astype(dtype)


def visible_cases():
    return [
        case(
            "int pad on a 2x3 image",
            np.array([[1, 2, 3], [4, 5, 6]], dtype=np.float64),
            1,
            expect=np.array(
                [[0, 0, 0, 0, 0], [0, 1, 2, 3, 0], [0, 4, 5, 6, 0], [0, 0, 0, 0, 0]],
                dtype=np.float64,
            ),
            hint="An int pad p adds p zeros on all four sides.",
        ),
        case(
            "pair pad (rows, cols)",
            np.array([[1, 2], [3, 4]], dtype=np.float64),
            (1, 2),
            expect=np.array(
                [[0, 0, 0, 0, 0, 0], [0, 0, 1, 2, 0, 0], [0, 0, 3, 4, 0, 0], [0, 0, 0, 0, 0, 0]],
                dtype=np.float64,
            ),
            hint="A pair is (rows, cols): the first number pads top and bottom, the second left and right.",
        ),
        case(
            "per-side pad",
            np.array([[1, 2], [3, 4]], dtype=np.float64),
            ((0, 1), (2, 0)),
            expect=np.array([[0, 0, 1, 2], [0, 0, 3, 4], [0, 0, 0, 0]], dtype=np.float64),
            hint="((top, bottom), (left, right)): the first pair is for rows, the second for columns.",
        ),
    ]


def hidden_cases():
    rng = np.random.default_rng(31337)  # fixed: these edge cases are the same for every submission
    return [
        case(
            "zero pad returns a copy",
            rng.normal(size=(3, 4)),
            0,
            hint="A pad of 0 must still return a float64 array equal to the input.",
        ),
        case(
            "pad only rows",
            _ints(rng, (3, 4)),
            (2, 0),
            hint="In a (rows, cols) pair the first number is for rows (top and bottom).",
        ),
        case(
            "pair pad on a non-square image",
            _ints(rng, (2, 5)),
            (3, 1),
            hint="Do not swap the pair: (rows, cols) means rows first, then columns.",
        ),
        case(
            "asymmetric per-side pad",
            _ints(rng, (3, 2)),
            ((2, 0), (1, 3)),
            hint="Read ((top, bottom), (left, right)) exactly in that order.",
        ),
        case(
            "bottom-right only",
            _ints(rng, (4, 4)),
            ((0, 1), (0, 1)),
            hint="Zero widths are allowed: only the sides with a positive width get zeros.",
        ),
        case("single-channel image", _ints(rng, (4, 4, 1)), 2, hint=CHANNEL_HINT),
        case("many-channel image", _ints(rng, (3, 5, 6)), 1, hint=CHANNEL_HINT),
        case("color image with pair pad", _ints(rng, (4, 3, 3)), (1, 2), hint=CHANNEL_HINT),
        case(
            "uint8 color image with per-side pad",
            _ints(rng, (4, 3, 3), 0, 255, np.uint8),
            ((0, 2), (1, 0)),
            hint="Per-side widths on a channels-last uint8 image: pad rows and columns only and return float64.",
        ),
        case("uint8 image", _ints(rng, (5, 4), 200, 255, np.uint8), 2, hint=DTYPE_HINT),
        case("integer image with negative values", _ints(rng, (3, 3), -1000, 1000, np.int64), 1, hint=DTYPE_HINT),
        case("float32 image", rng.normal(size=(3, 3)).astype(np.float32), (0, 1), hint=DTYPE_HINT),
        case(
            "1x1 image with a large pad",
            np.array([[7]], dtype=np.float64),
            4,
            hint="The padding may be much larger than the image itself.",
        ),
        case("zero pad on a color image", _ints(rng, (2, 2, 3)), 0, hint=CHANNEL_HINT),
    ]


def _random_pad(rng):
    kind = int(rng.integers(0, 3))
    if kind == 0:
        return int(rng.integers(0, 5))
    if kind == 1:
        return (int(rng.integers(0, 5)), int(rng.integers(0, 5)))
    return (
        (int(rng.integers(0, 5)), int(rng.integers(0, 5))),
        (int(rng.integers(0, 5)), int(rng.integers(0, 5))),
    )


def random_cases(rng):
    h, w = (int(v) for v in rng.integers(1, 30, size=2))
    gray = rng.normal(scale=10.0, size=(h, w))
    h, w, c = int(rng.integers(1, 20)), int(rng.integers(1, 20)), int(rng.integers(1, 9))
    color = rng.normal(size=(h, w, c))
    h, w = (int(v) for v in rng.integers(1, 30, size=2))
    pixels = rng.integers(0, 255, size=(h, w), endpoint=True).astype(np.uint8)
    return [
        case("random grayscale", gray, _random_pad(rng), hint="Check all three forms of pad on a 2D image."),
        case("random color", color, _random_pad(rng), hint=CHANNEL_HINT),
        case("random uint8", pixels, _random_pad(rng), hint=DTYPE_HINT),
    ]
