"""Test cases for global_avg_pool."""

import numpy as np

from grader.spec import case


def _grid(seed, shape, low=-9, high=10):
    """Small integer-valued float64 grid, so results are easy to read."""
    return np.random.default_rng(seed).integers(low, high, size=shape).astype(np.float64)


def visible_cases():
    # Channel 0 holds 1, 2, 3, 4 and channel 1 holds 10, 20, 30, 40.
    x = np.array(
        [
            [[1.0, 10.0], [2.0, 20.0]],
            [[3.0, 30.0], [4.0, 40.0]],
        ]
    )
    return [
        case(
            "2x2 map with two channels",
            x,
            expect=np.array([2.5, 25.0]),
            hint="Average over the two spatial axes (rows and columns) and keep one value per channel.",
        ),
        case(
            "3x4 map with three channels",
            _grid(1, (3, 4, 3)),
            hint="The result has shape (C,): the mean over all H * W positions of each channel.",
        ),
    ]


def hidden_cases():
    return [
        case(
            "1x1 map returns the pixel",
            _grid(2, (1, 1, 5)),
            hint="With a single pixel the mean is that pixel; the output must still have shape (C,).",
        ),
        case(
            "single channel",
            _grid(3, (6, 5, 1)),
            hint="With one channel the output has shape (1,), not a scalar.",
        ),
        case(
            "many channels",
            _grid(4, (7, 7, 8)),
            hint="Each channel gets its own mean; never average across channels.",
        ),
        case(
            "non-square map",
            _grid(5, (3, 9, 2)),
            hint="Average over both axis 0 (rows) and axis 1 (columns), whatever their sizes.",
        ),
        case(
            "square map with as many channels as rows",
            _grid(6, (4, 4, 4)),
            hint="The channel axis is the last one (channels-last); average over axes 0 and 1.",
        ),
        case(
            "tall narrow map",
            _grid(7, (12, 1, 3)),
            hint="Average over both spatial axes even when one of them has size 1.",
        ),
        case(
            "uint8 bright image does not overflow",
            np.random.default_rng(8).integers(200, 256, size=(16, 16, 3), dtype=np.uint8),
            hint="Convert to float64 before adding: sums of uint8 pixels wrap around above 255.",
        ),
        case(
            "int map with negative values",
            np.random.default_rng(9).integers(-20, 21, size=(5, 3, 4), dtype=np.int64),
            hint="Integer input must give a float64 result; use true division, not floor division.",
        ),
        case(
            "negative float values",
            -np.random.default_rng(10).uniform(0.5, 3.0, size=(4, 6, 3)),
            hint="Negative values must simply be averaged; do not clip or take absolute values.",
        ),
        case(
            "constant channels",
            np.broadcast_to(np.array([1.5, -2.0, 0.0]), (5, 4, 3)).copy(),
            hint="A channel that holds the same value everywhere must average to exactly that value.",
        ),
        case(
            "large feature-map stack",
            np.random.default_rng(11).normal(size=(32, 32, 8)),
            hint="Average over all H * W positions of each channel, not over a sample of them.",
        ),
    ]


def random_cases(rng):
    cases = []
    for number in range(4):
        shape = (int(rng.integers(1, 20)), int(rng.integers(1, 20)), int(rng.integers(1, 9)))
        uint8 = number == 3
        x = rng.integers(0, 256, size=shape, dtype=np.uint8) if uint8 else rng.normal(0.0, 5.0, size=shape)
        cases.append(
            case(
                f"random case {number + 1}",
                x,
                hint="Return the float64 mean of each channel over both spatial axes, shape (C,).",
            )
        )
    return cases
