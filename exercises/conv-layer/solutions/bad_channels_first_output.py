# Bug: returns channels-first (C_out, H', W') instead of channels-last (H', W', C_out).
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def _pair(v):
    return tuple(int(a) for a in np.broadcast_to(np.asarray(v), (2,)))


def conv_layer(x, filters, bias=None, stride=1, padding="valid", activation=None):
    x = np.asarray(x, dtype=np.float64)
    filters = np.asarray(filters, dtype=np.float64)
    kh, kw = filters.shape[:2]
    sh, sw = _pair(stride)
    if padding == "same":
        pads = []
        for n, k, s in ((x.shape[0], kh, sh), (x.shape[1], kw, sw)):
            total = max((-(-n // s) - 1) * s + k - n, 0)
            pads.append((total // 2, total - total // 2))
    elif padding == "valid":
        pads = [(0, 0), (0, 0)]
    else:
        pr, pc = _pair(padding)
        pads = [(pr, pr), (pc, pc)]
    x = np.pad(x, pads + [(0, 0)])
    patches = sliding_window_view(x, (kh, kw), axis=(0, 1))[::sh, ::sw]  # (H', W', C_in, kh, kw)
    out = np.einsum("ijcab,abco->oij", patches, filters)
    if bias is not None:
        out = out + np.asarray(bias, dtype=np.float64)
    if activation == "relu":
        out = np.maximum(out, 0.0)
    return out
