# Bug: an all-zero kernel gives zero everywhere, so it cannot detect anything.
import numpy as np


def vertical_edge_kernel():
    return np.zeros((3, 3))
