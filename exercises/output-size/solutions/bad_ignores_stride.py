# Bug: ignores the stride, as if the window always moved one step.
def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return n
    pad = 0 if padding == "valid" else padding
    return max(n + 2 * pad - kernel_size + 1, 0)
