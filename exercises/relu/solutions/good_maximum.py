# Known-good: one vectorized call on a float64 copy.
import numpy as np


def relu(x):
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
