"""An independent, slow pooling oracle and the random problems both pooling tests draw."""

import math

import numpy as np
from hypothesis import strategies as st


def brute_force(x, pool, stride, padding, reduce):
    """Triple loop over a NaN-padded copy; ``reduce`` (np.nanmax, np.nanmean) skips the NaN cells."""
    x = np.asarray(x, dtype=np.float64)
    two_d = x.ndim == 2
    if two_d:
        x = x[:, :, None]
    (kh, kw), (sh, sw) = pool, stride
    h, w, c = x.shape
    if padding == "same":
        oh, ow = math.ceil(h / sh), math.ceil(w / sw)
        ph = max((oh - 1) * sh + kh - h, 0)
        pw = max((ow - 1) * sw + kw - w, 0)
        top, left = ph // 2, pw // 2
    else:
        oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
        ph = pw = top = left = 0
    padded = np.full((h + ph, w + pw, c), np.nan)
    padded[top : top + h, left : left + w] = x
    out = np.empty((oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            for ch in range(c):
                out[i, j, ch] = reduce(padded[i * sh : i * sh + kh, j * sw : j * sw + kw, ch])
    return out[:, :, 0] if two_d else out


@st.composite
def pooling_problems(draw):
    h, w = draw(st.integers(1, 10)), draw(st.integers(1, 10))
    c = draw(st.integers(0, 3))
    shape = (h, w) if c == 0 else (h, w, c)
    padding = draw(st.sampled_from(["valid", "same"]))
    kh_max, kw_max = (h, w) if padding == "valid" else (4, 4)
    kh, kw = draw(st.integers(1, min(kh_max, 4))), draw(st.integers(1, min(kw_max, 4)))
    stride = draw(st.one_of(st.none(), st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    pool_arg = kh if kh == kw and draw(st.booleans()) else (kh, kw)
    if stride is None:
        strides = (kh, kw)
    elif isinstance(stride, int):
        strides = (stride, stride)
    else:
        strides = stride
    seed = draw(st.integers(0, 2**32 - 1))
    x = np.random.default_rng(seed).normal(size=shape)
    if draw(st.booleans()):
        x = -np.abs(x) - 1.0
    return x, pool_arg, (kh, kw), stride, strides, padding
