"""Reference solution for the edge-kernel exercise (never shown to students)."""

import numpy as np


def vertical_edge_kernel():
    # Sobel-x: right column minus left column, with the middle row weighted twice.
    # Every row sums to 0, so flat regions and horizontal edges give 0; a dark-to-bright
    # step from left to right gives +4 per unit of brightness.
    return np.array(
        [
            [-1.0, 0.0, 1.0],
            [-2.0, 0.0, 2.0],
            [-1.0, 0.0, 1.0],
        ],
        dtype=np.float64,
    )
