# Bug: with 'same', the extra padding cell goes top/left instead of bottom/right.
import math

import numpy as np


def _two(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def avg_pool2d(x, pool_size=2, stride=None, padding="valid"):
    x = np.asarray(x, dtype=np.float64)
    x3 = x if x.ndim == 3 else x[:, :, None]
    kh, kw = _two(pool_size)
    sh, sw = _two(pool_size if stride is None else stride)
    h, w, c = x3.shape
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        ph = max((oh - 1) * sh + kh - h, 0)
        pw = max((ow - 1) * sw + kw - w, 0)
        top, left = ph - ph // 2, pw - pw // 2
    else:
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        top = left = 0
    out = np.empty((oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - top, j * sw - left
            window = x3[max(r0, 0) : r0 + kh, max(c0, 0) : c0 + kw]
            out[i, j] = window.mean(axis=(0, 1))
    return out if x.ndim == 3 else out[:, :, 0]
