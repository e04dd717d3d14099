# Known-good: counts the window positions one by one (uses math.ceil for 'same').
import math


def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return math.ceil(n / stride)
    padded = n if padding == "valid" else n + 2 * padding
    count = 0
    start = 0
    while start + kernel_size <= padded:
        count += 1
        start += stride
    return count
