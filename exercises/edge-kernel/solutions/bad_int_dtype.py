# Bug: a correct Sobel kernel, but returned as an int64 array instead of float64.
import numpy as np


def vertical_edge_kernel():
    return np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
