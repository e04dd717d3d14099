# Return a 3.2 GB array of zeros.
import numpy as np


def conv2d(image, kernel, stride=1, padding="valid"):
    return np.zeros((20000, 20000))
