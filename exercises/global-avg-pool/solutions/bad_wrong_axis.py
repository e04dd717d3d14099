# Bug: averages over the last two axes (channels-first thinking) instead of the spatial axes 0 and 1.
import numpy as np


def global_avg_pool(x):
    return np.asarray(x, dtype=np.float64).mean(axis=(1, 2))
