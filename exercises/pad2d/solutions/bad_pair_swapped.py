# Bug: reads a (rows, cols) pair as (cols, rows).
import numpy as np


def pad2d(image, pad):
    x = np.asarray(image, dtype=np.float64)
    if isinstance(pad, int):
        widths = [(pad, pad), (pad, pad)]
    elif isinstance(pad[0], int):
        widths = [(pad[1], pad[1]), (pad[0], pad[0])]
    else:
        widths = [tuple(pad[0]), tuple(pad[1])]
    return np.pad(x, widths + [(0, 0)] * (x.ndim - 2))
