import numpy as np  # noqa: F401 (you will need it)


def max_pool2d(x, pool_size=2, stride=None, padding="valid"):
    """Max pooling over the two spatial axes of a channels-last array.

    x:         array of shape (H, W) or (H, W, C), any real dtype (uint8 included).
    pool_size: int or (rows, cols) pair, the window size.
    stride:    int, (rows, cols) pair, or None (None means stride = pool_size).
    padding:   'valid' (only windows that fit) or 'same' (TensorFlow rule;
               padded cells never win the maximum).

    Returns a new float64 array of shape (H', W') or (H', W', C).
    The input must not be modified.
    """
    raise NotImplementedError
