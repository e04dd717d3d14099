import numpy as np


def output_size(n, kernel_size, stride=1, padding="valid"):
    """Number of outputs along one axis when a window slides over ``n`` inputs.

    n:           input length along this axis (int >= 0)
    kernel_size: window length k (int >= 1)
    stride:      step s between windows (int >= 1)
    padding:     'valid'  -> floor((n - k) / s) + 1
                 'same'   -> ceil(n / s)
                 an int p -> floor((n + 2p - k) / s) + 1
    Never negative: return 0 when the window does not fit. Return a Python int.
    """
    raise NotImplementedError
