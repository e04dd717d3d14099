# Known-good: im2col (gather every window into a row) followed by one matrix product.
import numpy as np


def conv2d(image, kernel, stride=1, padding="valid"):
    img = np.asarray(image).astype(np.float64)
    ker = np.asarray(kernel).astype(np.float64)
    sr, sc = (stride, stride) if isinstance(stride, int) else stride
    kh, kw = ker.shape
    if padding == "same":
        pads = []
        for n, k, s in ((img.shape[0], kh, sr), (img.shape[1], kw, sc)):
            total = max((-(-n // s) - 1) * s + k - n, 0)
            pads.append((total // 2, total - total // 2))
    elif padding == "valid":
        pads = [(0, 0), (0, 0)]
    else:
        pr, pc = (padding, padding) if isinstance(padding, int) else padding
        pads = [(pr, pr), (pc, pc)]
    img = np.pad(img, pads, mode="constant", constant_values=0.0)
    out_h = (img.shape[0] - kh) // sr + 1
    out_w = (img.shape[1] - kw) // sc + 1
    rows = np.arange(out_h)[:, None] * sr + np.arange(kh)[None, :]  # (out_h, kh)
    cols = np.arange(out_w)[:, None] * sc + np.arange(kw)[None, :]  # (out_w, kw)
    patches = img[rows[:, None, :, None], cols[None, :, None, :]]  # (out_h, out_w, kh, kw)
    return (patches.reshape(out_h * out_w, kh * kw) @ ker.reshape(-1)).reshape(out_h, out_w)
