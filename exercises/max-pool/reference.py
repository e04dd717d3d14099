"""Reference max pooling (channels-last, TensorFlow 'valid' / 'same' semantics)."""

import numpy as np


def _pair(value, name):
    """Turn an int or a (rows, cols) pair into a pair of positive Python ints."""

    def is_int(v):
        return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))

    if is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(is_int(v) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{name} must be an int or a pair (rows, cols) of ints, got {value!r}")
    if min(pair) < 1:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return pair


def _same_padding(n, k, s):
    """TensorFlow's 'same' rule for one axis: (before, after); the extra cell goes after."""
    out = -(-n // s)  # ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    before = total // 2
    return before, total - before


def max_pool2d(x, pool_size=2, stride=None, padding="valid"):
    x = np.asarray(x, dtype=np.float64)  # never written to below
    if x.ndim not in (2, 3):
        raise ValueError(f"x must have shape (H, W) or (H, W, C), got {x.ndim} dimensions")
    kh, kw = _pair(pool_size, "pool_size")
    sh, sw = (kh, kw) if stride is None else _pair(stride, "stride")
    if not isinstance(padding, str) or padding not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")

    two_d = x.ndim == 2
    if two_d:
        x = x[:, :, np.newaxis]
    h, w, c = x.shape

    if padding == "same":
        top, bottom = _same_padding(h, kh, sh)
        left, right = _same_padding(w, kw, sw)
    else:
        top = bottom = left = right = 0

    # Padded cells hold -inf, so they can never be the maximum of a window.
    padded = np.full((h + top + bottom, w + left + right, c), -np.inf)
    padded[top : top + h, left : left + w, :] = x

    out_h = max((padded.shape[0] - kh) // sh + 1, 0)
    out_w = max((padded.shape[1] - kw) // sw + 1, 0)
    out = np.empty((out_h, out_w, c), dtype=np.float64)
    for i in range(out_h):
        for j in range(out_w):
            window = padded[i * sh : i * sh + kh, j * sw : j * sw + kw, :]
            out[i, j, :] = window.max(axis=(0, 1))

    return out[:, :, 0] if two_d else out
