# Bug: the result array takes the input's dtype, so integer inputs get truncated, non-float64 means.
import numpy as np


def global_avg_pool(x):
    x = np.asarray(x)
    out = np.zeros(x.shape[2], dtype=x.dtype)
    for k in range(x.shape[2]):
        out[k] = x[:, :, k].mean()
    return out
