# Bug: scales the input in place (np.asarray does not copy a float64 array), modifying the caller's data.
import math

import numpy as np


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def avg_pool2d(x, pool_size=2, stride=None, padding="valid"):
    x = np.asarray(x, dtype=np.float64)
    kh, kw = _pair(pool_size)
    sh, sw = _pair(pool_size if stride is None else stride)
    x /= kh * kw  # divide first, then each window only needs a sum
    x3 = x if x.ndim == 3 else x[..., None]
    h, w = x3.shape[:2]
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        top = max((oh - 1) * sh + kh - h, 0) // 2
        left = max((ow - 1) * sw + kw - w, 0) // 2
    else:
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        top = left = 0
    out = np.empty((oh, ow, x3.shape[2]))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - top, j * sw - left
            window = x3[max(r0, 0) : r0 + kh, max(c0, 0) : c0 + kw]
            out[i, j] = window.sum(axis=(0, 1)) * (kh * kw) / (window.shape[0] * window.shape[1])
    return out if x.ndim == 3 else out[..., 0]
