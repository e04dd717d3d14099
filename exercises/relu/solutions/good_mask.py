# Known-good: copy, then zero the negatives of the copy with a boolean mask.
import numpy as np


def relu(x):
    out = np.array(x, dtype=np.float64, copy=True)
    out[out < 0] = 0.0
    return out
