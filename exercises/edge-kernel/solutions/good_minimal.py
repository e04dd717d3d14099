# Known-good: the smallest possible detector, one horizontal pixel difference in the middle row.
import numpy as np


def vertical_edge_kernel():
    kernel = np.zeros((3, 3))
    kernel[1, 0] = -1.0
    kernel[1, 1] = 1.0
    return kernel
