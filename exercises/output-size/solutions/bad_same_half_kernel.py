# Bug: 'same' is treated as padding k // 2 on both sides, which is wrong for even kernels.
def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        padding = kernel_size // 2
    pad = 0 if padding == "valid" else padding
    return max((n + 2 * pad - kernel_size) // stride + 1, 0)
