import numpy as np


def relu(x):
    """Rectified linear unit: max(x, 0) for every element.

    x: array of any shape and any real dtype (uint8 and signed ints included).
    Returns a NEW float64 array of the same shape; ``x`` itself must not change.
    """
    raise NotImplementedError
