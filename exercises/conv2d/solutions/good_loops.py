# Known-good: explicit loops over output positions, padding built by hand.
import math

import numpy as np


def _as_pair(value):
    if isinstance(value, (tuple, list)):
        return int(value[0]), int(value[1])
    return int(value), int(value)


def conv2d(image, kernel, stride=1, padding="valid"):
    image = np.array(image, dtype=np.float64)
    kernel = np.array(kernel, dtype=np.float64)
    sr, sc = _as_pair(stride)
    h, w = image.shape
    kh, kw = kernel.shape

    if padding == "valid":
        top = bottom = left = right = 0
    elif padding == "same":
        out_rows = math.ceil(h / sr)
        out_cols = math.ceil(w / sc)
        total_rows = max((out_rows - 1) * sr + kh - h, 0)
        total_cols = max((out_cols - 1) * sc + kw - w, 0)
        top, left = total_rows // 2, total_cols // 2
        bottom, right = total_rows - top, total_cols - left
    else:
        pr, pc = _as_pair(padding)
        top = bottom = pr
        left = right = pc

    padded = np.zeros((h + top + bottom, w + left + right))
    padded[top : top + h, left : left + w] = image

    out_h = (padded.shape[0] - kh) // sr + 1
    out_w = (padded.shape[1] - kw) // sc + 1
    result = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            total = 0.0
            for i in range(kh):
                for j in range(kw):
                    total += padded[r * sr + i, c * sc + j] * kernel[i, j]
            result[r, c] = total
    return result
