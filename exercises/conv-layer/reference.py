"""Reference multi-filter convolution layer (channels-last, Keras Conv2D semantics)."""

import numpy as np


def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_))


def _pair(value, name, minimum):
    """Turn an int or a (rows, cols) pair into a pair of Python ints >= minimum."""
    if _is_int(value):
        pair = (int(value), int(value))
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        pair = (int(value[0]), int(value[1]))
    else:
        raise ValueError(f"{name} must be an int or a pair (rows, cols) of ints, got {value!r}")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")
    return pair


def _same_padding(n, k, s):
    """TensorFlow's 'same' rule for one axis: (before, after); the extra cell goes after."""
    out = -(-n // s)  # ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    before = total // 2
    return before, total - before


def conv_layer(x, filters, bias=None, stride=1, padding="valid", activation=None):
    x = np.asarray(x, dtype=np.float64)  # never written to below
    filters = np.asarray(filters, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"x must have shape (H, W, C_in), got {x.ndim} dimensions")
    if filters.ndim != 4:
        raise ValueError(f"filters must have shape (kh, kw, C_in, C_out), got {filters.ndim} dimensions")
    kh, kw, c_in, c_out = filters.shape
    if min(kh, kw, c_out) < 1:
        raise ValueError(f"filters must have a non-empty kernel and at least one filter, got shape {filters.shape}")
    if x.shape[2] != c_in:
        raise ValueError(f"x has {x.shape[2]} channels but the filters expect {c_in} input channels")
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (c_out,):
            raise ValueError(f"bias must have shape ({c_out},), one value per filter, got {bias.shape}")
    if activation is not None and not (isinstance(activation, str) and activation == "relu"):
        raise ValueError(f"activation must be None or 'relu', got {activation!r}")
    sh, sw = _pair(stride, "stride", 1)

    h, w, _ = x.shape
    if isinstance(padding, str):
        if padding == "valid":
            top = bottom = left = right = 0
        elif padding == "same":
            top, bottom = _same_padding(h, kh, sh)
            left, right = _same_padding(w, kw, sw)
        else:
            raise ValueError(f"padding must be 'valid', 'same', an int or a (rows, cols) pair, got {padding!r}")
    else:
        rows, cols = _pair(padding, "padding", 0)
        top = bottom = rows
        left = right = cols

    # Zero padding: padded cells contribute nothing to the weighted sums.
    padded = np.zeros((h + top + bottom, w + left + right, c_in))
    padded[top : top + h, left : left + w, :] = x

    out_h = max((padded.shape[0] - kh) // sh + 1, 0)
    out_w = max((padded.shape[1] - kw) // sw + 1, 0)
    out = np.empty((out_h, out_w, c_out), dtype=np.float64)
    for i in range(out_h):
        for j in range(out_w):
            patch = padded[i * sh : i * sh + kh, j * sw : j * sw + kw, :]  # (kh, kw, C_in)
            # Cross-correlation: multiply the patch with every filter (not flipped) and sum
            # over rows, columns and input channels, giving one value per filter.
            out[i, j, :] = np.tensordot(patch, filters, axes=3)

    if bias is not None:
        out += bias
    if activation == "relu":
        out = np.maximum(out, 0.0)
    return out
