# Bug: reads ((a, b), (c, d)) as top=a, left=b, bottom=c, right=d instead of ((top, bottom), (left, right)).
import numpy as np


def pad2d(image, pad):
    x = np.asarray(image, dtype=np.float64)
    if isinstance(pad, int):
        widths = [(pad, pad), (pad, pad)]
    elif isinstance(pad[0], int):
        widths = [(pad[0], pad[0]), (pad[1], pad[1])]
    else:
        (top, left), (bottom, right) = pad
        widths = [(top, bottom), (left, right)]
    return np.pad(x, widths + [(0, 0)] * (x.ndim - 2))
