import numpy as np


def vertical_edge_kernel():
    """Return a 3x3 float64 kernel that detects vertical edges.

    Used with a 'valid' cross-correlation (the kernel is not flipped), it must
    - give a strong response (|value| >= the step height) where a vertical edge is,
    - give exactly 0 on flat regions and on horizontal edges.
    """
    raise NotImplementedError
