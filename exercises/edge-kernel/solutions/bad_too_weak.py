# Bug: the right pattern scaled down so much that the edge response stays below the step height.
import numpy as np


def vertical_edge_kernel():
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 10.0
