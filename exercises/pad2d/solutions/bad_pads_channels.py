# Bug: an int pad is passed straight to np.pad, which pads the channel axis of (H, W, C) images too.
import numpy as np


def pad2d(image, pad):
    x = np.asarray(image, dtype=np.float64)
    if isinstance(pad, int):
        return np.pad(x, pad)
    widths = [(pad[0], pad[0]), (pad[1], pad[1])] if isinstance(pad[0], int) else [tuple(pad[0]), tuple(pad[1])]
    return np.pad(x, widths + [(0, 0)] * (x.ndim - 2))
