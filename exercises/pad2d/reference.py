"""Reference solution for the pad2d exercise (never shown to students)."""

import numpy as np


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_pair(value):
    return isinstance(value, (tuple, list)) and len(value) == 2


def _widths(pad):
    """((top, bottom), (left, right)) from an int, a (rows, cols) pair, or per-side pairs."""
    if _is_int(pad):
        widths = ((int(pad), int(pad)), (int(pad), int(pad)))
    elif _is_pair(pad) and all(_is_int(v) for v in pad):
        rows, cols = int(pad[0]), int(pad[1])
        widths = ((rows, rows), (cols, cols))
    elif _is_pair(pad) and all(_is_pair(v) and all(_is_int(x) for x in v) for v in pad):
        (top, bottom), (left, right) = pad
        widths = ((int(top), int(bottom)), (int(left), int(right)))
    else:
        raise ValueError(f"pad must be an int, a pair (rows, cols) or ((top, bottom), (left, right)), got {pad!r}")
    if min(min(w) for w in widths) < 0:
        raise ValueError(f"pad widths must be >= 0, got {pad!r}")
    return widths


def pad2d(image, pad):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim not in (2, 3):
        raise ValueError(f"image must have shape (H, W) or (H, W, C), got {image.shape}")
    (top, bottom), (left, right) = _widths(pad)
    height, width = image.shape[:2]
    out = np.zeros((top + height + bottom, left + width + right) + image.shape[2:], dtype=np.float64)
    out[top : top + height, left : left + width] = image  # channels (if any) are copied as they are
    return out
