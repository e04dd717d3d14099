# Bug: the output array takes the image's dtype, so uint8/int8 images give truncated, wrapped, non-float64 maps.
import numpy as np


def _two(v):
    return (v, v) if isinstance(v, int) else (v[0], v[1])


def conv_layer(x, filters, bias=None, stride=1, padding="valid", activation=None):
    x = np.asarray(x)
    kh, kw, c_in, c_out = np.shape(filters)
    sh, sw = _two(stride)
    h, w, _ = x.shape
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        ph = max((-(-h // sh) - 1) * sh + kh - h, 0)
        pw = max((-(-w // sw) - 1) * sw + kw - w, 0)
        pads = ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2))
    else:
        pr, pc = _two(padding)
        pads = ((pr, pr), (pc, pc))
    big = np.pad(x, pads + ((0, 0),))
    out_h = (big.shape[0] - kh) // sh + 1
    out_w = (big.shape[1] - kw) // sw + 1
    out = np.zeros((out_h, out_w, c_out), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            patch = big[i * sh : i * sh + kh, j * sw : j * sw + kw].astype(np.float64)
            values = np.tensordot(patch, np.asarray(filters, dtype=np.float64), axes=3)
            if bias is not None:
                values = values + bias
            if activation == "relu":
                values = np.maximum(values, 0.0)
            out[i, j] = values
    return out
