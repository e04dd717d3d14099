"""The conv-layer reference agrees with an independent computation built on scipy."""

import math

import numpy as np
import pytest
import scipy.signal
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.package import find_exercise

conv_layer = find_exercise("conv-layer").reference_function


def scipy_layer(x, filters, bias, stride, padding, activation):
    """Per output channel: sum over input channels of scipy's 2-D cross-correlation."""
    x = np.asarray(x, dtype=np.float64)
    filters = np.asarray(filters, dtype=np.float64)
    kh, kw, c_in, c_out = filters.shape
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    h, w = x.shape[:2]
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        ph = max((math.ceil(h / sh) - 1) * sh + kh - h, 0)
        pw = max((math.ceil(w / sw) - 1) * sw + kw - w, 0)
        pads = ((ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2))
    else:
        pr, pc = (padding, padding) if isinstance(padding, int) else padding
        pads = ((pr, pr), (pc, pc))
    xp = np.pad(x, pads + ((0, 0),))
    maps = []
    for k in range(c_out):
        full = sum(scipy.signal.correlate2d(xp[:, :, c], filters[:, :, c, k], mode="valid") for c in range(c_in))
        maps.append(full[::sh, ::sw] + (0.0 if bias is None else bias[k]))
    out = np.stack(maps, axis=-1)
    return np.maximum(out, 0.0) if activation == "relu" else out


@st.composite
def layers(draw):
    h, w = draw(st.integers(1, 10)), draw(st.integers(1, 10))
    c_in, c_out = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    padding = draw(
        st.one_of(
            st.sampled_from(["valid", "same"]),
            st.integers(0, 2),
            st.tuples(st.integers(0, 2), st.integers(0, 2)),
        )
    )
    if padding == "valid":
        kh, kw = draw(st.integers(1, min(h, 4))), draw(st.integers(1, min(w, 4)))
    elif padding == "same":
        kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    else:
        pr, pc = (padding, padding) if isinstance(padding, int) else padding
        kh, kw = draw(st.integers(1, min(h + 2 * pr, 4))), draw(st.integers(1, min(w + 2 * pc, 4)))
    stride = draw(st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.normal(size=(h, w, c_in))
    if draw(st.booleans()):
        x = rng.integers(0, 256, size=(h, w, c_in), dtype=np.uint8)
    filters = rng.normal(size=(kh, kw, c_in, c_out))
    bias = rng.normal(size=c_out) if draw(st.booleans()) else None
    activation = draw(st.sampled_from([None, "relu"]))
    return x, filters, bias, stride, padding, activation


@settings(max_examples=100, deadline=None)
@given(layers())
def test_it_matches_scipy_correlate2d(layer):
    x, filters, bias, stride, padding, activation = layer
    out = conv_layer(x, filters, bias=bias, stride=stride, padding=padding, activation=activation)
    expected = scipy_layer(x, filters, bias, stride, padding, activation)
    assert out.dtype == np.float64
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_it_is_a_matrix_product_for_1x1_kernels(h, w, c_in, c_out, seed):
    rng = np.random.default_rng(seed)
    x, filters, bias = rng.normal(size=(h, w, c_in)), rng.normal(size=(1, 1, c_in, c_out)), rng.normal(size=c_out)
    np.testing.assert_allclose(conv_layer(x, filters, bias), x @ filters[0, 0] + bias, rtol=1e-10, atol=1e-12)


def test_it_matches_the_worked_examples():
    x = np.arange(1.0, 10.0).reshape(3, 3, 1)
    out = conv_layer(x, np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(2, 2, 1, 1))
    np.testing.assert_array_equal(out[:, :, 0], [[37.0, 47.0], [67.0, 77.0]])

    x = np.stack([[[1, 2, 0], [0, 1, 3], [2, 0, 1]], [[1, 0, 1], [0, 2, 0], [1, 0, 1]]], axis=-1)
    filters = np.zeros((2, 2, 2, 2))
    filters[:, :, 0, 0] = [[1, 0], [0, 1]]
    filters[:, :, 1, 0] = [[0, 1], [1, 0]]
    filters[:, :, 0, 1] = [[-1, -1], [0, 0]]
    filters[:, :, 1, 1] = [[0, 0], [1, 1]]
    raw = conv_layer(x, filters, bias=[0.5, 2.0])
    np.testing.assert_array_equal(raw[:, :, 0], [[2.5, 8.5], [3.5, 2.5]])
    np.testing.assert_array_equal(raw[:, :, 1], [[1.0, 2.0], [2.0, -1.0]])
    np.testing.assert_array_equal(conv_layer(x, filters, bias=[0.5, 2.0], activation="relu"), np.maximum(raw, 0))


def test_it_keeps_each_filter_in_its_own_output_channel():
    x = np.random.default_rng(1).normal(size=(5, 5, 2))
    bank = np.random.default_rng(2).normal(size=(3, 3, 2, 3))
    full = conv_layer(x, bank)
    for k in range(3):
        np.testing.assert_allclose(full[:, :, k], conv_layer(x, bank[:, :, :, k : k + 1])[:, :, 0], rtol=1e-12)


def test_it_puts_the_extra_same_padding_bottom_right():
    x = np.arange(1.0, 4.0).reshape(1, 3, 1)
    take_left = np.array([1.0, 0.0]).reshape(1, 2, 1, 1)
    # k=2, s=1: total=1 -> no padding on the left, one zero on the right.
    np.testing.assert_array_equal(conv_layer(x, take_left, padding="same")[0, :, 0], [1.0, 2.0, 3.0])


def test_it_does_not_overflow_or_modify_integer_inputs():
    x = np.full((3, 3, 1), 100, dtype=np.int8)
    filters = np.full((3, 3, 1, 1), 100, dtype=np.int8)
    x_before, f_before = x.copy(), filters.copy()
    bias = np.array([1.0])
    out = conv_layer(x, filters, bias=bias, padding=1, activation="relu")
    assert out.dtype == np.float64
    assert out[1, 1, 0] == 9 * 100 * 100 + 1
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(filters, f_before)
    np.testing.assert_array_equal(bias, [1.0])
    img = np.full((2, 2, 3), 255, dtype=np.uint8)
    assert conv_layer(img, -np.ones((2, 2, 3, 1)))[0, 0, 0] == -255.0 * 12


def test_it_does_not_modify_float_inputs():
    rng = np.random.default_rng(3)
    x, filters, bias = rng.normal(size=(6, 6, 2)), rng.normal(size=(3, 3, 2, 2)), rng.normal(size=2)
    copies = (x.copy(), filters.copy(), bias.copy())
    conv_layer(x, filters, bias, stride=2, padding="same", activation="relu")
    for after, before in zip((x, filters, bias), copies, strict=True):
        np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"padding": "full"},
        {"padding": -1},
        {"padding": (1, 2, 3)},
        {"padding": 1.5},
        {"activation": "sigmoid"},
        {"activation": "ReLU!"},
        {"stride": 0},
        {"stride": (1, 0)},
        {"bias": np.zeros(3)},
        {"bias": np.zeros((2, 1))},
        {"bias": 1.0},
    ],
)
def test_it_rejects_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        conv_layer(np.zeros((5, 5, 2)), np.zeros((3, 3, 2, 2)), **kwargs)


def test_it_rejects_a_channel_mismatch_and_wrong_dimensions():
    with pytest.raises(ValueError, match="channels"):
        conv_layer(np.zeros((5, 5, 3)), np.zeros((3, 3, 2, 1)))
    with pytest.raises(ValueError):
        conv_layer(np.zeros((5, 5)), np.zeros((3, 3, 1, 1)))
    with pytest.raises(ValueError):
        conv_layer(np.zeros((5, 5, 1)), np.zeros((3, 3, 1)))
