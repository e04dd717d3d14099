# Known-good: a Prewitt kernel built from an outer product (column difference times a row of ones).
import numpy as np


def vertical_edge_kernel():
    smooth = np.ones(3)
    difference = np.array([-1, 0, 1])
    return np.outer(smooth, difference).astype(np.float64)
