"""The max-pool reference agrees with independent computations."""

import numpy as np
import pytest
import scipy.ndimage
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.package import find_exercise
from tests.exercises.pooling_oracle import brute_force, pooling_problems

max_pool2d = find_exercise("max-pool").reference_function


@settings(max_examples=100, deadline=None)
@given(pooling_problems())
def test_it_matches_a_brute_force_loop(problem):
    x, pool_arg, pool, stride, strides, padding = problem
    out = max_pool2d(x, pool_size=pool_arg, stride=stride, padding=padding)
    expected = brute_force(x, pool, strides, padding, np.nanmax)
    assert out.dtype == np.float64
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=0, atol=0)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(1, 3),
    st.sampled_from([1, 3, 5]),
    st.integers(0, 2**32 - 1),
)
def test_it_matches_scipy_for_same_with_stride_one(h, w, c, k, seed):
    # With stride 1 and an odd window, 'same' pads (k - 1) / 2 on both sides: a maximum filter.
    x = -np.random.default_rng(seed).uniform(1, 5, size=(h, w, c))
    expected = scipy.ndimage.maximum_filter(x, size=(k, k, 1), mode="constant", cval=-np.inf)
    np.testing.assert_array_equal(max_pool2d(x, pool_size=k, stride=1, padding="same"), expected)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 12), st.integers(2, 12), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_it_matches_scipy_for_valid_with_stride_one(h, w, k, seed):
    k = min(k, h, w)
    x = np.random.default_rng(seed).normal(size=(h, w))
    # maximum_filter centres the window at index (k - 1) // 2 ... k // 2 (origin 0 for odd k).
    origin = -1 if k % 2 == 0 else 0
    full = scipy.ndimage.maximum_filter(x, size=k, mode="nearest", origin=origin)
    start = (k - 1) // 2
    expected = full[start : start + h - k + 1, start : start + w - k + 1]
    np.testing.assert_array_equal(max_pool2d(x, pool_size=k, stride=1), expected)


def test_it_does_not_modify_the_input():
    x = np.random.default_rng(0).normal(size=(7, 6, 3))
    before = x.copy()
    max_pool2d(x, pool_size=3, stride=2, padding="same")
    max_pool2d(x, pool_size=2)
    np.testing.assert_array_equal(x, before)


def test_it_returns_float64_for_uint8_and_int_input():
    img = np.array([[250, 255], [3, 4]], dtype=np.uint8)
    out = max_pool2d(img)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[255.0]])
    out = max_pool2d(np.array([[-3, -7], [-9, -1]], dtype=np.int32), 1)
    assert out.dtype == np.float64


def test_it_defaults_the_stride_to_the_pool_size():
    x = np.arange(36.0).reshape(6, 6)
    np.testing.assert_array_equal(max_pool2d(x, 3), [[14.0, 17.0], [32.0, 35.0]])
    np.testing.assert_array_equal(max_pool2d(x, 3), max_pool2d(x, 3, stride=3))


def test_it_puts_the_extra_same_padding_bottom_right():
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    # n=5, k=2, s=2: out=3, total=1 -> windows {1,2}, {3,4}, {5, pad}.
    np.testing.assert_array_equal(max_pool2d(x, (1, 2), padding="same"), [[2.0, 4.0, 5.0]])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"padding": "full"},
        {"padding": "SAME!"},
        {"padding": 1},
        {"pool_size": 0},
        {"pool_size": (2, 0)},
        {"pool_size": (2, 2, 2)},
        {"pool_size": 2.5},
        {"stride": 0},
        {"stride": (1, -1)},
    ],
)
def test_it_rejects_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        max_pool2d(np.zeros((4, 4, 1)), **kwargs)


def test_it_rejects_wrong_dimensions():
    with pytest.raises(ValueError):
        max_pool2d(np.zeros(5))
    with pytest.raises(ValueError):
        max_pool2d(np.zeros((1, 4, 4, 1)))
