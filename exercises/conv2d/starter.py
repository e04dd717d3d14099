import numpy as np


def conv2d(image, kernel, stride=1, padding="valid"):
    """Slide ``kernel`` over ``image`` and return the feature map (cross-correlation).

    image:   2D array (H, W) of any real dtype (uint8 images included).
    kernel:  2D array (kh, kw) of any real dtype. It is NOT flipped.
    stride:  an int, or a pair (row_step, col_step).
    padding: 'valid' (no padding), 'same' (TensorFlow rule: output size is
             ceil(n / stride) per axis, the odd extra zero goes bottom/right),
             an int p (p zeros on every side), or a pair (rows, cols).

    Returns a new float64 array of shape (H_out, W_out). Do not modify the inputs.
    """
    raise NotImplementedError
