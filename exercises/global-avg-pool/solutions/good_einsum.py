# Weighted sum with einsum: every pixel gets weight 1 / (H * W).
import numpy as np


def global_avg_pool(x):
    h, w, _ = x.shape
    weights = np.full((h, w), 1.0 / (h * w))
    return np.einsum("hw,hwc->c", weights, x.astype(np.float64))
