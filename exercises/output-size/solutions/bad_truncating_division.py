# Bug: int(x / s) truncates towards zero, so a negative fraction becomes 0 instead of -1.
import math


def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    pad = 0 if padding == "valid" else padding
    return max(int((n + 2 * pad - kernel_size) / stride) + 1, 0)
