# Loops over output positions and filters; each value is a patch-times-filter sum.
import math

import numpy as np


def _two(v):
    return (v, v) if isinstance(v, int) else (v[0], v[1])


def conv_layer(x, filters, bias=None, stride=1, padding="valid", activation=None):
    x = np.array(x, dtype=float)
    filters = np.array(filters, dtype=float)
    kh, kw, c_in, c_out = filters.shape
    sh, sw = _two(stride)
    h, w, _ = x.shape
    if padding == "valid":
        top = bottom = left = right = 0
    elif padding == "same":
        ph = max((math.ceil(h / sh) - 1) * sh + kh - h, 0)
        pw = max((math.ceil(w / sw) - 1) * sw + kw - w, 0)
        top, bottom, left, right = ph // 2, ph - ph // 2, pw // 2, pw - pw // 2
    else:
        pr, pc = _two(padding)
        top = bottom = pr
        left = right = pc
    big = np.zeros((h + top + bottom, w + left + right, c_in))
    big[top : top + h, left : left + w] = x
    out_h = (big.shape[0] - kh) // sh + 1
    out_w = (big.shape[1] - kw) // sw + 1
    out = np.zeros((out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            patch = big[i * sh : i * sh + kh, j * sw : j * sw + kw, :]
            for k in range(c_out):
                value = np.sum(patch * filters[:, :, :, k])
                if bias is not None:
                    value += bias[k]
                if activation == "relu" and value < 0:
                    value = 0.0
                out[i, j, k] = value
    return out
