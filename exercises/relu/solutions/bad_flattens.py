# Bug: loops over the flattened values and returns a 1D array, losing the shape.
import numpy as np


def relu(x):
    return np.array([max(float(v), 0.0) for v in np.ravel(x)], dtype=np.float64)
