"""Test cases for conv2d. Inputs are channels-last 2D grids; the kernel is never flipped."""

import numpy as np

from grader.spec import case

FLIP_HINT = "Cross-correlation does not flip the kernel: kernel[0, 0] must multiply the top-left pixel of each window."


def _ints(rng, shape, low=-9, high=9, dtype=np.float64):
    return rng.integers(low, high, size=shape, endpoint=True).astype(dtype)


def visible_cases():
    image = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=np.float64)
    kernel = np.array([[1, 0, -1], [2, 1, 0], [0, 0, 1]], dtype=np.float64)
    strided = np.array(
        [[1, 0, 2, 1, 0], [0, 3, 1, 0, 2], [2, 1, 0, 1, 2], [1, 0, 1, 2, 0], [0, 2, 1, 0, 3]], dtype=np.float64
    )
    diagonal = np.array([[1, 0, 0], [0, -1, 0], [0, 0, 2]], dtype=np.float64)
    small = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]], dtype=np.float64)
    two_by_two = np.array([[1, -1], [0, 2]], dtype=np.float64)
    return [
        case(
            "3x3 kernel on a 4x4 image",
            image,
            kernel,
            expect=np.array([[0.0, 8.0], [4.0, 0.0]]),
            hint=FLIP_HINT,
        ),
        case(
            "stride 2 on a 5x5 image",
            strided,
            diagonal,
            stride=2,
            expect=np.array([[-2.0, 6.0], [4.0, 4.0]]),
            hint="With stride 2 the window's top-left corner moves 2 pixels at a time, in both directions.",
        ),
        case(
            "same padding with a 2x2 kernel",
            small,
            two_by_two,
            padding="same",
            expect=np.array([[9.0, 11.0, 3.0], [15.0, 17.0, 6.0], [-1.0, -1.0, 9.0]]),
            hint="For 'same' with an even kernel the single extra zero row/column goes at the bottom/right.",
        ),
    ]


def hidden_cases():
    rng = np.random.default_rng(8675309)  # fixed: these edge cases are the same for every submission
    return [
        case(
            "1x1 kernel with stride",
            _ints(rng, (5, 6)),
            np.array([[-2.5]]),
            stride=2,
            hint="A 1x1 kernel just scales the pixels it lands on; check the stride and the output size.",
        ),
        case(
            "kernel as large as the input",
            _ints(rng, (4, 5)),
            _ints(rng, (4, 5), -3, 3),
            hint="When the kernel is as large as the image, 'valid' gives exactly one window (a 1x1 output).",
        ),
        case(
            "kernel as large as the input with same",
            _ints(rng, (4, 5)),
            _ints(rng, (4, 5), -3, 3),
            padding="same",
            hint="Use the TensorFlow 'same' rule per axis; when the total padding is odd the extra zero goes "
            "bottom/right.",
        ),
        case(
            "even non-square kernel with same",
            _ints(rng, (5, 7)),
            _ints(rng, (2, 4), -3, 3),
            padding="same",
            hint="With an even kernel, 'same' padding is not k//2 on both sides: compute total padding per axis "
            "and put the extra zero bottom/right.",
        ),
        case(
            "same with stride 2 on an even size",
            _ints(rng, (8, 8)),
            _ints(rng, (3, 3), -3, 3),
            stride=2,
            padding="same",
            hint="With a stride, 'same' padding depends on the stride: total = max((out - 1) * s + k - n, 0), "
            "not simply k//2 on each side.",
        ),
        case(
            "same with non-square stride",
            _ints(rng, (9, 10)),
            _ints(rng, (3, 2), -3, 3),
            stride=(2, 3),
            padding="same",
            hint="Rows and columns each have their own stride and their own 'same' padding.",
        ),
        case(
            "stride larger than the kernel",
            _ints(rng, (9, 9)),
            _ints(rng, (2, 2), -3, 3),
            stride=3,
            hint="A stride larger than the kernel skips pixels; only windows that fit completely count.",
        ),
        case(
            "windows that do not divide the input",
            _ints(rng, (8, 10)),
            _ints(rng, (3, 3), -3, 3),
            stride=(2, 3),
            hint="With 'valid', windows that would stick out past the bottom/right edge are dropped, not padded.",
        ),
        case(
            "non-square image and kernel",
            _ints(rng, (6, 11)),
            _ints(rng, (2, 5), -3, 3),
            hint="Keep rows and columns apart: the kernel has kh rows and kw columns, and is not flipped.",
        ),
        case(
            "uint8 image and uint8 kernel",
            _ints(rng, (6, 7), 150, 255, np.uint8),
            _ints(rng, (3, 3), 1, 9, np.uint8),
            hint="Convert to float64 before multiplying: uint8 arithmetic wraps around above 255.",
        ),
        case(
            "int8 inputs with negative values",
            _ints(rng, (6, 6), -128, 127, np.int8),
            _ints(rng, (3, 3), -4, 4, np.int8),
            padding="same",
            hint="Convert to float64 before multiplying: small integer types overflow and lose negative sums.",
        ),
        case(
            "int64 inputs give float64",
            _ints(rng, (5, 6), -50, 50, np.int64),
            _ints(rng, (2, 3), -5, 5, np.int64),
            hint="The result must be a float64 array even when both inputs are integers.",
        ),
        case(
            "int padding",
            _ints(rng, (5, 5)),
            _ints(rng, (3, 3), -3, 3),
            padding=1,
            hint="An int padding p adds p rows/columns of zeros on every side before sliding the kernel.",
        ),
        case(
            "int padding with stride",
            _ints(rng, (6, 7)),
            _ints(rng, (3, 2), -3, 3),
            stride=2,
            padding=2,
            hint="Pad first, then slide with the stride over the padded image.",
        ),
        case(
            "pair padding and pair stride",
            _ints(rng, (5, 4)),
            _ints(rng, (3, 3), -3, 3),
            stride=(2, 1),
            padding=(1, 3),
            hint="A padding pair is (rows, cols): the first number pads top and bottom, the second left and right.",
        ),
        case(
            "single row image with same",
            _ints(rng, (1, 8)),
            _ints(rng, (1, 3), -3, 3),
            padding="same",
            hint="Handle one-row images: 'same' adds no rows for a 1-row kernel, only columns.",
        ),
    ]


def random_cases(rng):
    cases = []
    # Valid padding: the kernel always fits.
    h, w = (int(v) for v in rng.integers(3, 31, size=2))
    kh, kw = int(rng.integers(1, min(h, 5) + 1)), int(rng.integers(1, min(w, 5) + 1))
    stride = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    cases.append(
        case(
            "random valid",
            rng.normal(size=(h, w)),
            rng.normal(size=(kh, kw)),
            stride=stride,
            padding="valid",
            hint="Check the 'valid' output size floor((n - k) / s) + 1 per axis and that the kernel is not flipped.",
        )
    )
    # Same padding with any kernel size, also larger than the image.
    h, w = (int(v) for v in rng.integers(1, 31, size=2))
    kh, kw = (int(v) for v in rng.integers(1, 7, size=2))
    stride = (int(rng.integers(1, 5)), int(rng.integers(1, 5)))
    cases.append(
        case(
            "random same",
            rng.normal(scale=3.0, size=(h, w)),
            rng.normal(size=(kh, kw)),
            stride=stride,
            padding="same",
            hint="Use the TensorFlow 'same' rule per axis: out = ceil(n / s), extra padding bottom/right.",
        )
    )
    # Explicit padding (int or pair) on a uint8 image.
    h, w = (int(v) for v in rng.integers(2, 25, size=2))
    pad = int(rng.integers(0, 4)) if rng.random() < 0.5 else (int(rng.integers(0, 4)), int(rng.integers(0, 4)))
    pr, pc = (pad, pad) if isinstance(pad, int) else pad
    kh, kw = int(rng.integers(1, min(h + 2 * pr, 6) + 1)), int(rng.integers(1, min(w + 2 * pc, 6) + 1))
    stride = int(rng.integers(1, 4))
    cases.append(
        case(
            "random padded uint8",
            rng.integers(0, 255, size=(h, w), endpoint=True).astype(np.uint8),
            rng.normal(size=(kh, kw)),
            stride=stride,
            padding=pad,
            hint="Convert uint8 pixels to float64 and apply int or (rows, cols) padding before sliding.",
        )
    )
    return cases
