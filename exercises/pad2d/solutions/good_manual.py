# Known-good: allocate the zero canvas and copy the image into the middle, with explicit branches.
import numpy as np


def pad2d(image, pad):
    if isinstance(pad, (tuple, list)):
        first, second = pad
        if isinstance(first, (tuple, list)):
            top, bottom = first
            left, right = second
        else:
            top = bottom = first
            left = right = second
    else:
        top = bottom = left = right = pad

    h, w = image.shape[0], image.shape[1]
    new_shape = [h + top + bottom, w + left + right]
    if image.ndim == 3:
        new_shape.append(image.shape[2])
    canvas = np.zeros(new_shape, dtype=np.float64)
    for r in range(h):
        for c in range(w):
            canvas[top + r, left + c] = image[r, c]
    return canvas
