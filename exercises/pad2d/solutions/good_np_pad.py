# Known-good: normalise the pad argument, then np.pad with (0, 0) for the channel axis.
import numpy as np


def pad2d(image, pad):
    x = np.asarray(image, dtype=np.float64)
    if isinstance(pad, int):
        widths = [(pad, pad), (pad, pad)]
    elif isinstance(pad[0], int):
        widths = [(pad[0], pad[0]), (pad[1], pad[1])]
    else:
        widths = [tuple(pad[0]), tuple(pad[1])]
    if x.ndim == 3:
        widths.append((0, 0))
    return np.pad(x, widths, mode="constant")
