# Bug: computes (x + |x|) / 2 in the input dtype, which overflows for uint8 and int8.
import numpy as np


def relu(x):
    return (x + np.abs(x)) / 2
