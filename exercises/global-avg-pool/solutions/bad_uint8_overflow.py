# Bug: accumulates the sum in the input's dtype, so uint8 totals wrap around above 255.
import numpy as np


def global_avg_pool(x):
    x = np.asarray(x)
    h, w, c = x.shape
    total = np.zeros(c, dtype=x.dtype)
    for i in range(h):
        for j in range(w):
            total += x[i, j]
    return total / (h * w)
