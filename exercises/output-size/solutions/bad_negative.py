# Bug: returns a negative size when the kernel does not fit, instead of 0.
def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return (n + stride - 1) // stride
    pad = 0 if padding == "valid" else padding
    return (n + 2 * pad - kernel_size) // stride + 1
