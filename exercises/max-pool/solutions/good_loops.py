# Plain loops; 'same' windows are clipped to the input instead of padding.
import math

import numpy as np


def _two(v):
    return (v, v) if isinstance(v, int) else (v[0], v[1])


def max_pool2d(x, pool_size=2, stride=None, padding="valid"):
    x = np.array(x, dtype=float)
    flat = x.ndim == 2
    if flat:
        x = x.reshape(x.shape[0], x.shape[1], 1)
    kh, kw = _two(pool_size)
    sh, sw = _two(pool_size if stride is None else stride)
    h, w, c = x.shape
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        top = max((oh - 1) * sh + kh - h, 0) // 2
        left = max((ow - 1) * sw + kw - w, 0) // 2
    elif padding == "valid":
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        top = left = 0
    else:
        raise ValueError("padding must be 'valid' or 'same'")
    out = np.zeros((oh, ow, c))
    for i in range(oh):
        r0 = i * sh - top
        r_lo, r_hi = max(r0, 0), min(r0 + kh, h)
        for j in range(ow):
            c0 = j * sw - left
            c_lo, c_hi = max(c0, 0), min(c0 + kw, w)
            for ch in range(c):
                best = -math.inf
                for r in range(r_lo, r_hi):
                    for q in range(c_lo, c_hi):
                        if x[r, q, ch] > best:
                            best = x[r, q, ch]
                out[i, j, ch] = best
    return out[:, :, 0] if flat else out
