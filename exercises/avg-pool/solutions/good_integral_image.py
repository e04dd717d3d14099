# Summed-area table: every window sum is four look-ups; counts come from clipping the window.
import math

import numpy as np


def avg_pool2d(x, pool_size=2, stride=None, padding="valid"):
    x = np.asarray(x, dtype=np.float64)
    kh, kw = (pool_size, pool_size) if np.ndim(pool_size) == 0 else pool_size
    if stride is None:
        stride = (kh, kw)
    sh, sw = (stride, stride) if np.ndim(stride) == 0 else stride
    x3 = x.reshape(x.shape[0], x.shape[1], -1)
    h, w = x3.shape[:2]
    table = np.zeros((h + 1, w + 1, x3.shape[2]))
    table[1:, 1:] = x3.cumsum(axis=0).cumsum(axis=1)

    def starts(n, k, s):
        if padding == "valid":
            return np.arange((n - k) // s + 1) * s
        out = math.ceil(n / s)
        before = max((out - 1) * s + k - n, 0) // 2
        return np.arange(out) * s - before

    r0 = starts(h, kh, sh)
    c0 = starts(w, kw, sw)
    r_lo, r_hi = np.clip(r0, 0, h), np.clip(r0 + kh, 0, h)
    c_lo, c_hi = np.clip(c0, 0, w), np.clip(c0 + kw, 0, w)
    sums = (
        table[r_hi[:, None], c_hi[None, :]]
        - table[r_lo[:, None], c_hi[None, :]]
        - table[r_hi[:, None], c_lo[None, :]]
        + table[r_lo[:, None], c_lo[None, :]]
    )
    counts = (r_hi - r_lo)[:, None] * (c_hi - c_lo)[None, :]
    out = sums / counts[..., None]
    return out.reshape(out.shape[:2] + x.shape[2:])
