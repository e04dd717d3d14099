"""Reference solution for the relu exercise (never shown to students)."""

import numpy as np


def relu(x):
    values = np.asarray(x, dtype=np.float64)  # converts ints exactly, never wraps around
    return np.where(values > 0, values, 0.0)  # always a new array, the input is left alone
