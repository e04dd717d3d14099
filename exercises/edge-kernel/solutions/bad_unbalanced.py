# Bug: the weights do not sum to 0 (one corner is off), so flat regions give a non-zero response.
import numpy as np


def vertical_edge_kernel():
    return np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 2.0]])
