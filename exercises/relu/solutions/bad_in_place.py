# Bug: zeroes the negatives of the caller's array in place (the input is modified).
import numpy as np


def relu(x):
    x[x < 0] = 0
    return x.astype(np.float64)
