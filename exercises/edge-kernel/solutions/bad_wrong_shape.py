# Bug: returns a 1x3 difference filter instead of a 3x3 kernel.
import numpy as np


def vertical_edge_kernel():
    return np.array([[-1.0, 0.0, 1.0]])
