import numpy as np  # noqa: F401 (you will need it)


def global_avg_pool(x):
    """Global average pooling of a channels-last feature-map stack.

    x: array of shape (H, W, C), any real dtype (uint8 included).

    Returns a new float64 array of shape (C,): the mean of each channel over
    all H * W positions. The input must not be modified.
    """
    raise NotImplementedError
