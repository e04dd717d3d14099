# Bug: divides each channel's sum by H * W * C (every cell of the array) instead of H * W.
import numpy as np


def global_avg_pool(x):
    x = np.asarray(x, dtype=np.float64)
    return x.sum(axis=(0, 1)) / x.size
