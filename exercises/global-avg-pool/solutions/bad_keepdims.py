# Bug: keeps the spatial axes, returning shape (1, 1, C) instead of (C,).
import numpy as np


def global_avg_pool(x):
    return np.asarray(x, dtype=np.float64).mean(axis=(0, 1), keepdims=True)
