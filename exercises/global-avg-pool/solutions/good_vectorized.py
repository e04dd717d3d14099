# Vectorized: flatten the spatial axes and take one mean per channel.
import numpy as np


def global_avg_pool(x):
    x = np.asarray(x, dtype=np.float64)
    return x.reshape(-1, x.shape[-1]).mean(axis=0)
