# Bug: the Sobel y-kernel (rows instead of columns) detects horizontal edges, not vertical ones.
import numpy as np


def vertical_edge_kernel():
    return np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]])
