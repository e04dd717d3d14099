import numpy as np


def pad2d(image, pad):
    """Return a zero-padded float64 copy of ``image``.

    image: (H, W) or channels-last (H, W, C) array of any real dtype.
    pad:   an int p           -> p zeros on all four sides,
           a pair (r, c)      -> r rows on top and bottom, c columns left and right,
           ((top, bottom), (left, right)) -> each side given separately.
    The channel axis is never padded. Do not modify ``image``.
    """
    raise NotImplementedError
