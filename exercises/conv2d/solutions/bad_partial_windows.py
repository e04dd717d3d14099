# Bug: rounds the output size up (ceil), keeping zero-filled partial windows at the bottom/right edge.
import math

import numpy as np


def _pair(v):
    return (v, v) if np.isscalar(v) else tuple(v)


def conv2d(image, kernel, stride=1, padding="valid"):
    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    sr, sc = _pair(stride)
    kh, kw = k.shape
    if padding == "same":
        widths = []
        for n, kk, s in ((x.shape[0], kh, sr), (x.shape[1], kw, sc)):
            total = max((math.ceil(n / s) - 1) * s + kk - n, 0)
            widths.append((total // 2, total - total // 2))
        x = np.pad(x, widths)
    elif padding != "valid":
        pr, pc = _pair(padding)
        x = np.pad(x, [(pr, pr), (pc, pc)])
    out_h = math.ceil((x.shape[0] - kh) / sr) + 1
    out_w = math.ceil((x.shape[1] - kw) / sc) + 1
    x = np.pad(x, [(0, (out_h - 1) * sr + kh - x.shape[0]), (0, (out_w - 1) * sc + kw - x.shape[1])])
    out = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            out[r, c] = np.sum(x[r * sr : r * sr + kh, c * sc : c * sc + kw] * k)
    return out
