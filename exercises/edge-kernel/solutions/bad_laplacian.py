# Bug: a Laplacian kernel sums to 0 but responds to edges in every direction, horizontal ones included.
import numpy as np


def vertical_edge_kernel():
    return np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])
