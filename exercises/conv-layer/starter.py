import numpy as np  # noqa: F401 (you will need it)


def conv_layer(x, filters, bias=None, stride=1, padding="valid", activation=None):
    """A convolutional layer with several filters (Keras Conv2D for one image).

    x:          array of shape (H, W, C_in), any real dtype (uint8 included).
    filters:    array of shape (kh, kw, C_in, C_out); filters[:, :, :, k] is filter k.
    bias:       None or an array of shape (C_out,), added to output channel k.
    stride:     int or (rows, cols) pair.
    padding:    'valid', 'same' (TensorFlow rule, zeros), an int p, or a
                (rows, cols) pair of ints (that many zeros on each side).
    activation: None or 'relu' (applied after adding the bias).

    Cross-correlation: the kernel is not flipped.
    Returns a new float64 array of shape (H', W', C_out).
    The inputs must not be modified.
    """
    raise NotImplementedError
