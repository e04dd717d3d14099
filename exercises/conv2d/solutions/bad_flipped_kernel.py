# Bug: flips the kernel (true convolution) instead of cross-correlating.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return (v, v) if np.isscalar(v) else tuple(v)


def _same(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv2d(image, kernel, stride=1, padding="valid"):
    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)[::-1, ::-1]
    sr, sc = _pair(stride)
    if isinstance(padding, str):
        widths = (
            [(0, 0), (0, 0)]
            if padding == "valid"
            else [_same(x.shape[0], k.shape[0], sr), _same(x.shape[1], k.shape[1], sc)]
        )
    else:
        pr, pc = _pair(padding)
        widths = [(pr, pr), (pc, pc)]
    windows = sliding_window_view(np.pad(x, widths), k.shape)[::sr, ::sc]
    return np.einsum("abij,ij->ab", windows, k)
