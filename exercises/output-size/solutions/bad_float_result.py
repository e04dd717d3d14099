# Bug: returns a NumPy float (e.g. 5.0) instead of a Python int.
import numpy as np


def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return np.ceil(n / stride)
    pad = 0 if padding == "valid" else padding
    return max(np.floor((n + 2 * pad - kernel_size) / stride) + 1, 0.0)
