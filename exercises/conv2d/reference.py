"""Reference solution for the conv2d exercise (never shown to students)."""

import numpy as np


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _pair(value, name, minimum):
    """Turn an int or a (rows, cols) pair into a pair of Python ints >= minimum."""
    if _is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{name} must be an int or a pair (rows, cols) of ints, got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} values must be >= {minimum}, got {value!r}")
    return pair


def _same_padding(n, k, s):
    """TensorFlow 'same' padding for one axis: (before, after); the extra zero goes after."""
    out = -(-n // s)  # ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    before = total // 2
    return before, total - before


def conv2d(image, kernel, stride=1, padding="valid"):
    image = np.asarray(image, dtype=np.float64)  # a converted copy for uint8/int input: no overflow
    kernel = np.asarray(kernel, dtype=np.float64)
    if image.ndim != 2:
        raise ValueError(f"image must be 2D (H, W), got shape {image.shape}")
    if kernel.ndim != 2 or kernel.size == 0:
        raise ValueError(f"kernel must be a non-empty 2D array (kh, kw), got shape {kernel.shape}")
    sr, sc = _pair(stride, "stride", 1)
    height, width = image.shape
    kh, kw = kernel.shape

    if isinstance(padding, str):
        if padding == "valid":
            pads = ((0, 0), (0, 0))
        elif padding == "same":
            pads = (_same_padding(height, kh, sr), _same_padding(width, kw, sc))
        else:
            raise ValueError(f"padding must be 'valid', 'same', an int or a pair, got {padding!r}")
    else:
        pr, pc = _pair(padding, "padding", 0)
        pads = ((pr, pr), (pc, pc))

    padded = np.pad(image, pads)  # a new array filled with zeros around the image
    out_h = max((padded.shape[0] - kh) // sr + 1, 0)
    out_w = max((padded.shape[1] - kw) // sc + 1, 0)
    out = np.zeros((out_h, out_w), dtype=np.float64)
    if out_h == 0 or out_w == 0:
        return out
    # Shift-and-add: kernel[i, j] multiplies the pixel at offset (i, j) of every window,
    # and the top-left corners of the windows are (r * sr, c * sc).
    for i in range(kh):
        for j in range(kw):
            window_pixels = padded[i : i + (out_h - 1) * sr + 1 : sr, j : j + (out_w - 1) * sc + 1 : sc]
            out += kernel[i, j] * window_pixels
    return out
