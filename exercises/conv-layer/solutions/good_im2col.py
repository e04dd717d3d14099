# im2col: gather each patch into a row of a matrix, then one matrix product with the reshaped filters.
import numpy as np


def conv_layer(x, filters, bias=None, stride=1, padding="valid", activation=None):
    x = np.asarray(x).astype(np.float64)
    f = np.asarray(filters).astype(np.float64)
    kh, kw, c_in, c_out = f.shape
    sh, sw = (stride, stride) if np.isscalar(stride) else stride
    h, w = x.shape[:2]
    if isinstance(padding, str):
        if padding == "same":
            oh, ow = -(-h // sh), -(-w // sw)
            ph = max((oh - 1) * sh + kh - h, 0)
            pw = max((ow - 1) * sw + kw - w, 0)
            pads = ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2))
        else:
            pads = ((0, 0), (0, 0))
    else:
        pr, pc = (padding, padding) if np.isscalar(padding) else padding
        pads = ((pr, pr), (pc, pc))
    x = np.pad(x, pads + ((0, 0),))
    oh = (x.shape[0] - kh) // sh + 1
    ow = (x.shape[1] - kw) // sw + 1
    rows = np.empty((oh * ow, kh * kw * c_in))
    for i in range(oh):
        for j in range(ow):
            rows[i * ow + j] = x[i * sh : i * sh + kh, j * sw : j * sw + kw].ravel()
    out = (rows @ f.reshape(-1, c_out)).reshape(oh, ow, c_out)
    if bias is not None:
        out += bias
    return np.maximum(out, 0.0) if activation == "relu" else out
