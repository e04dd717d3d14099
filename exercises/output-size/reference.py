"""Reference solution for the output-size exercise (never shown to students)."""

import numpy as np


def _int(value, name, minimum):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an int, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


def output_size(n, kernel_size, stride=1, padding="valid"):
    n = _int(n, "n", 0)
    k = _int(kernel_size, "kernel_size", 1)
    s = _int(stride, "stride", 1)
    if isinstance(padding, str):
        if padding == "valid":
            size = (n - k) // s + 1  # Python's // floors, also for negative numbers
        elif padding == "same":
            size = -(-n // s)  # ceil(n / s) in exact integer arithmetic
        else:
            raise ValueError(f"padding must be 'valid', 'same' or an int, got {padding!r}")
    else:
        p = _int(padding, "padding", 0)
        size = (n + 2 * p - k) // s + 1
    return max(size, 0)
