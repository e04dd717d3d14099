# Bug: 'same' pads k//2 zeros on both sides instead of using the TensorFlow rule.
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return (v, v) if np.isscalar(v) else tuple(v)


def conv2d(image, kernel, stride=1, padding="valid"):
    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    sr, sc = _pair(stride)
    if padding == "valid":
        widths = [(0, 0), (0, 0)]
    elif padding == "same":
        widths = [(k.shape[0] // 2, k.shape[0] // 2), (k.shape[1] // 2, k.shape[1] // 2)]
    else:
        pr, pc = _pair(padding)
        widths = [(pr, pr), (pc, pc)]
    windows = sliding_window_view(np.pad(x, widths), k.shape)[::sr, ::sc]
    return np.einsum("abij,ij->ab", windows, k)
