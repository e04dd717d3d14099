# Known-good: visits every element with np.ndindex and writes into a fresh float64 array.
import numpy as np


def relu(x):
    out = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape):
        value = float(x[index])
        if value > 0:
            out[index] = value
    return out
