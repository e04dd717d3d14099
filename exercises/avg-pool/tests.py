"""Test cases for avg_pool2d."""

import numpy as np

from grader.spec import case


def _grid(seed, shape, low=-9, high=10):
    """Small integer-valued float64 grid, so results are easy to read."""
    return np.random.default_rng(seed).integers(low, high, size=shape).astype(np.float64)


def _positive(seed, shape):
    """Values well away from zero: padded zeros counted in a mean pull it down visibly."""
    return np.random.default_rng(seed).uniform(5.0, 10.0, size=shape)


def visible_cases():
    x = np.array(
        [
            [1.0, 3.0, 2.0, 1.0],
            [4.0, 6.0, 5.0, 0.0],
            [7.0, 2.0, 9.0, 8.0],
            [3.0, 1.0, 4.0, 6.0],
        ]
    )
    small = np.array(
        [
            [1.0, 2.0, 3.0],
            [4.0, 5.0, 6.0],
            [7.0, 8.0, 9.0],
        ]
    )
    return [
        case(
            "4x4 to 2x2 with 2x2 windows",
            x,
            pool_size=2,
            expect=np.array([[3.5, 2.0], [3.25, 6.75]]),
            hint="Each output cell is the mean of one 2x2 block; the stride defaults to the pool size.",
        ),
        case(
            "same padding on a 3x3 grid",
            small,
            pool_size=2,
            padding="same",
            expect=np.array([[3.0, 4.5], [7.5, 9.0]]),
            hint="With 'same' the padding goes bottom/right here, and padded cells are left out of the mean.",
        ),
        case(
            "two channels, 3x3 windows, stride 1",
            _grid(1, (5, 5, 2)),
            pool_size=3,
            stride=1,
            hint="Average each channel separately and move the window one cell at a time.",
        ),
    ]


def hidden_cases():
    same_hint = "With 'same', divide by the number of real cells in the window: padded zeros must not dilute the mean."
    return [
        case(
            "valid drops the partial last window",
            _grid(2, (5, 7, 1)),
            pool_size=2,
            hint="With 'valid', windows that stick out past the border are dropped, not shrunk.",
        ),
        case(
            "same excludes padding from the mean, odd size",
            _positive(3, (5, 7, 2)),
            pool_size=2,
            padding="same",
            hint=same_hint,
        ),
        case(
            "same excludes padding, even size, 3x3 windows",
            _positive(4, (6, 6, 1)),
            pool_size=3,
            stride=2,
            padding="same",
            hint=same_hint,
        ),
        case(
            "same with stride 1 pads both sides",
            _positive(5, (4, 5, 3)),
            pool_size=3,
            stride=1,
            padding="same",
            hint="With 'same' and stride 1 the output has the input's size; border windows average fewer real cells.",
        ),
        case(
            "same puts the extra padding bottom/right",
            _grid(6, (5, 5, 2)),
            pool_size=2,
            padding="same",
            hint="When the total 'same' padding is odd, the extra row/column goes at the bottom/right, not top/left.",
        ),
        case(
            "same with stride larger than the window",
            _positive(7, (7, 7, 1)),
            pool_size=2,
            stride=3,
            padding="same",
            hint="With 'same' the output size is ceil(n / stride); compute the padding from the TensorFlow rule.",
        ),
        case(
            "same with non-square window and stride",
            _positive(8, (7, 6, 2)),
            pool_size=(3, 2),
            stride=(2, 1),
            padding="same",
            hint="Compute the 'same' padding separately for rows and columns from their own window size and stride.",
        ),
        case(
            "non-square pool size",
            _grid(9, (6, 9, 2)),
            pool_size=(2, 3),
            hint="A pair pool_size is (rows, cols); the stride then defaults to that same pair.",
        ),
        case(
            "non-square stride",
            _grid(10, (6, 8, 1)),
            pool_size=2,
            stride=(1, 2),
            hint="A pair stride is (rows, cols): move down by the first number and right by the second.",
        ),
        case(
            "overlapping windows, stride smaller than window",
            _grid(11, (8, 7, 2)),
            pool_size=3,
            stride=2,
            hint="Use the given stride even when windows overlap; do not assume it equals the pool size.",
        ),
        case(
            "stride larger than window",
            _grid(12, (9, 9, 1)),
            pool_size=2,
            stride=3,
            hint="Use the given stride even when it skips cells between windows.",
        ),
        case(
            "stride None defaults to pool size",
            _grid(13, (9, 6, 2)),
            pool_size=3,
            stride=None,
            hint="stride=None means the stride equals pool_size (non-overlapping windows), not 1.",
        ),
        case(
            "1x1 windows with stride 2 subsample",
            _grid(14, (6, 5, 2)),
            pool_size=1,
            stride=2,
            hint="A 1x1 window just picks single cells; check your loop bounds for the smallest window.",
        ),
        case(
            "window as large as the input",
            _grid(15, (5, 4, 3)),
            pool_size=(5, 4),
            hint="A window covering the whole input gives a 1x1 output per channel: the mean of that channel.",
        ),
        case(
            "uint8 bright image does not overflow",
            np.random.default_rng(16).integers(200, 256, size=(9, 9, 3), dtype=np.uint8),
            pool_size=3,
            hint="Convert to float64 before adding: sums of uint8 pixels wrap around above 255.",
        ),
        case(
            "int input with negative values",
            np.random.default_rng(17).integers(-50, 50, size=(6, 6), dtype=np.int64),
            pool_size=4,
            stride=2,
            hint="Integer input must give a float64 result; use true division, not floor division.",
        ),
        case(
            "many channels",
            _grid(18, (8, 8, 8)),
            pool_size=2,
            hint="Average every channel independently; never average across channels.",
        ),
        case(
            "2D input keeps a 2D result",
            _positive(19, (7, 5)),
            pool_size=3,
            stride=2,
            padding="same",
            hint="An (H, W) input must give an (H', W') output without a channel axis.",
        ),
    ]


def random_cases(rng):
    cases = []
    for number in range(5):
        h, w = (int(v) for v in rng.integers(3, 17, size=2))
        shape = (h, w) if rng.random() < 0.25 else (h, w, int(rng.integers(1, 5)))
        x = rng.normal(0.0, 3.0, size=shape)
        if rng.random() < 0.4:
            x = np.abs(x) + 5.0
        padding = "same" if rng.random() < 0.5 else "valid"
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        kh, kw = min(kh, h), min(kw, w)
        pool_size = min(kh, kw) if rng.random() < 0.5 else (kh, kw)
        roll = rng.random()
        if roll < 0.3:
            stride = None
        elif roll < 0.65:
            stride = int(rng.integers(1, 5))
        else:
            stride = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
        cases.append(
            case(
                f"random case {number + 1}",
                x,
                pool_size=pool_size,
                stride=stride,
                padding=padding,
                hint="Check the output size, the stride, and how 'same' padding is placed and left out of the mean.",
            )
        )
    return cases
