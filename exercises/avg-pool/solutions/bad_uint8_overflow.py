# Bug: adds shifted slices of the raw input, so uint8 sums wrap around above 255.
import math

import numpy as np


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def avg_pool2d(x, pool_size=2, stride=None, padding="valid"):
    x = np.asarray(x)
    kh, kw = _pair(pool_size)
    sh, sw = _pair(pool_size if stride is None else stride)
    x3 = x if x.ndim == 3 else x[..., None]
    ones = np.ones(x3.shape[:2])
    h, w = x3.shape[:2]
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        ph, pw = max((oh - 1) * sh + kh - h, 0), max((ow - 1) * sw + kw - w, 0)
        pads = [(ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2)]
        x3 = np.pad(x3, pads + [(0, 0)])
        ones = np.pad(ones, pads)
    else:
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    total = np.zeros((oh, ow, x3.shape[2]), dtype=x3.dtype)
    count = np.zeros((oh, ow))
    for di in range(kh):
        for dj in range(kw):
            total += x3[di : di + (oh - 1) * sh + 1 : sh, dj : dj + (ow - 1) * sw + 1 : sw]
            count += ones[di : di + (oh - 1) * sh + 1 : sh, dj : dj + (ow - 1) * sw + 1 : sw]
    out = total / count[..., None]
    return out if x.ndim == 3 else out[..., 0]
