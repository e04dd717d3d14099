# Known-good: closed-form integer arithmetic.
def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return (n + stride - 1) // stride
    pad = 0 if padding == "valid" else padding
    return max((n + 2 * pad - kernel_size) // stride + 1, 0)
