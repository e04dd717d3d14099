# Known-good: the Sobel x-kernel written out as nested lists.
import numpy as np


def vertical_edge_kernel():
    return np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
