# Bug: keeps the input dtype (uint8, int64, float32 results) instead of returning float64.
import numpy as np


def pad2d(image, pad):
    x = np.asarray(image)
    if isinstance(pad, int):
        widths = [(pad, pad), (pad, pad)]
    elif isinstance(pad[0], int):
        widths = [(pad[0], pad[0]), (pad[1], pad[1])]
    else:
        widths = [tuple(pad[0]), tuple(pad[1])]
    return np.pad(x, widths + [(0, 0)] * (x.ndim - 2))
