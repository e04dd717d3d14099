"""Test cases for conv_layer."""

import numpy as np

from grader.spec import case


def _grid(seed, shape, low=-5, high=6):
    """Small integer-valued float64 array, so results are easy to read."""
    return np.random.default_rng(seed).integers(low, high, size=shape).astype(np.float64)


def _weights(seed, shape):
    return np.random.default_rng(seed).normal(0.0, 1.0, size=shape)


def _two_channel_example():
    ch0 = [[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 0.0, 1.0]]
    ch1 = [[1.0, 0.0, 1.0], [0.0, 2.0, 0.0], [1.0, 0.0, 1.0]]
    x = np.stack([np.array(ch0), np.array(ch1)], axis=-1)  # (3, 3, 2)
    filters = np.zeros((2, 2, 2, 2))
    filters[:, :, 0, 0] = [[1.0, 0.0], [0.0, 1.0]]
    filters[:, :, 1, 0] = [[0.0, 1.0], [1.0, 0.0]]
    filters[:, :, 0, 1] = [[-1.0, -1.0], [0.0, 0.0]]
    filters[:, :, 1, 1] = [[0.0, 0.0], [1.0, 1.0]]
    return x, filters


def _filter_bank():
    """Four clearly different filters over two input channels."""
    bank = np.zeros((3, 3, 2, 4))
    # filter 0 stays all zeros
    bank[:, :, 0, 1] = [[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]  # vertical edges in channel 0
    bank[1, 1, 1, 2] = 1.0  # copies the centre of channel 1
    bank[:, :, :, 3] = -1.0  # minus the sum of the whole patch
    return bank


def visible_cases():
    x, filters = _two_channel_example()
    return [
        case(
            "one 2x2 filter on a 3x3 image",
            np.arange(1.0, 10.0).reshape(3, 3, 1),
            np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(2, 2, 1, 1),
            expect=np.array([[37.0, 47.0], [67.0, 77.0]]).reshape(2, 2, 1),
            hint="Slide the kernel without flipping it: multiply element-wise and sum (cross-correlation).",
        ),
        case(
            "two channels in, two filters out, bias and relu",
            x,
            filters,
            bias=np.array([0.5, 2.0]),
            activation="relu",
            expect=np.array([[[2.5, 1.0], [8.5, 2.0]], [[3.5, 2.0], [2.5, 0.0]]]),
            hint="Sum over the input channels for each filter, add that filter's bias, then apply ReLU.",
        ),
        case(
            "same padding with stride 2",
            _grid(1, (5, 5, 3)),
            _grid(2, (3, 3, 3, 2), -2, 3),
            stride=2,
            padding="same",
            hint="With 'same' the output size is ceil(n / stride); pad with zeros using the TensorFlow rule.",
        ),
    ]


def hidden_cases():
    return [
        case(
            "1x1 kernel mixes channels",
            _grid(3, (6, 5, 3)),
            _weights(4, (1, 1, 3, 4)),
            hint="A 1x1 kernel is a weighted sum over the input channels at each pixel, one sum per filter.",
        ),
        case(
            "single input channel, three filters",
            _grid(5, (7, 7, 1)),
            _weights(6, (3, 3, 1, 3)),
            hint="Each filter produces one output channel; stack them along the last axis.",
        ),
        case(
            "each filter lands in its own output channel",
            _grid(7, (6, 6, 2)),
            _filter_bank(),
            hint="Output channel k must come from filters[:, :, :, k]; check the order of the filter axes.",
        ),
        case(
            "asymmetric kernel is not flipped",
            _grid(8, (6, 6, 2)),
            np.arange(18.0).reshape(3, 3, 2, 1) - 8.0,
            hint="This is cross-correlation as in Keras: do not flip the kernel.",
        ),
        case(
            "bias per output channel without activation",
            _grid(9, (5, 6, 2)),
            _weights(10, (2, 2, 2, 3)),
            bias=np.array([1.0, -2.0, 3.5]),
            hint="Add bias[k] to every value of output channel k.",
        ),
        case(
            "relu applied after the bias",
            _grid(11, (6, 6, 2)),
            _weights(12, (3, 3, 2, 3)),
            bias=np.array([2.0, -2.0, 0.5]),
            activation="relu",
            hint="Add the bias first and apply ReLU to the sum: relu(conv + bias).",
        ),
        case(
            "activation None keeps negative values",
            _grid(13, (6, 5, 2)),
            -np.abs(_weights(14, (3, 3, 2, 2))),
            hint="With activation=None return the raw (biased) feature maps, negative values included.",
        ),
        case(
            "same padding, odd kernel, stride 1",
            _grid(15, (6, 7, 2)),
            _weights(16, (3, 3, 2, 2)),
            padding="same",
            hint="With 'same' and stride 1 the output keeps the input's height and width; pad with zeros.",
        ),
        case(
            "same padding, even kernel sizes",
            _grid(17, (5, 6, 2)),
            _weights(18, (2, 4, 2, 2)),
            padding="same",
            hint="With an even kernel the 'same' padding is odd: the extra row/column goes bottom/right.",
        ),
        case(
            "same padding, stride 2, odd padding total",
            _grid(19, (8, 7, 2)),
            _weights(20, (3, 3, 2, 2)),
            stride=2,
            padding="same",
            hint="Compute the 'same' padding from out = ceil(n / s); an odd total puts the extra cell bottom/right.",
        ),
        case(
            "int padding 1",
            _grid(21, (5, 5, 2)),
            _weights(22, (3, 3, 2, 2)),
            padding=1,
            hint="An int padding p adds p rows/columns of zeros on every side before sliding the kernel.",
        ),
        case(
            "pair padding (rows, cols)",
            _grid(23, (5, 6, 1)),
            _weights(24, (3, 2, 1, 2)),
            padding=(2, 0),
            hint="A pair padding (rows, cols) adds that many zero rows top and bottom and zero columns left and right.",
        ),
        case(
            "pair stride (rows, cols)",
            _grid(25, (7, 9, 2)),
            _weights(26, (3, 3, 2, 2)),
            stride=(1, 2),
            hint="A pair stride is (rows, cols): move down by the first number and right by the second.",
        ),
        case(
            "stride larger than the kernel",
            _grid(27, (9, 8, 2)),
            _weights(28, (2, 2, 2, 2)),
            stride=3,
            hint="Use the given stride even when it skips pixels between kernel positions.",
        ),
        case(
            "kernel as large as the input",
            _grid(29, (5, 4, 3)),
            _weights(30, (5, 4, 3, 2)),
            hint="A kernel covering the whole input gives a 1x1 output per filter.",
        ),
        case(
            "uint8 image with negative weights",
            np.random.default_rng(31).integers(0, 256, size=(8, 8, 3), dtype=np.uint8),
            _weights(32, (3, 3, 3, 2)),
            hint="Convert the image to float64: the result is float64 and may be negative even for uint8 pixels.",
        ),
        case(
            "int8 image and int8 filters",
            np.random.default_rng(33).integers(-100, 101, size=(6, 6, 2), dtype=np.int8),
            np.random.default_rng(34).integers(-100, 101, size=(3, 3, 2, 2), dtype=np.int8),
            hint="Convert inputs to float64 before multiplying: small integer types overflow.",
        ),
        case(
            "many channels in and out",
            _grid(35, (8, 8, 8)),
            _weights(36, (3, 3, 8, 8)),
            bias=_weights(37, (8,)),
            hint="Sum over all input channels for each of the filters; keep the output channels in filter order.",
        ),
    ]


def random_cases(rng):
    cases = []
    for number in range(4):
        h, w = (int(v) for v in rng.integers(4, 15, size=2))
        c_in, c_out = (int(v) for v in rng.integers(1, 5, size=2))
        kh, kw = (int(v) for v in rng.integers(1, 5, size=2))
        kh, kw = min(kh, h), min(kw, w)
        stride = int(rng.integers(1, 4)) if rng.random() < 0.6 else (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
        padding = ["valid", "same", int(rng.integers(0, 3)), (int(rng.integers(0, 3)), int(rng.integers(0, 3)))][
            int(rng.integers(0, 4))
        ]
        bias = rng.normal(size=c_out) if rng.random() < 0.5 else None
        activation = "relu" if rng.random() < 0.5 else None
        cases.append(
            case(
                f"random case {number + 1}",
                rng.normal(0.0, 2.0, size=(h, w, c_in)),
                rng.normal(0.0, 1.0, size=(kh, kw, c_in, c_out)),
                bias=bias,
                stride=stride,
                padding=padding,
                activation=activation,
                hint="Check the padding, the stride, the filter axes and the order bias-then-ReLU.",
            )
        )
    return cases
