"""The avg-pool reference agrees with independent computations."""

import numpy as np
import pytest
import scipy.ndimage
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.package import find_exercise
from tests.exercises.pooling_oracle import brute_force, pooling_problems

avg_pool2d = find_exercise("avg-pool").reference_function


@settings(max_examples=100, deadline=None)
@given(pooling_problems())
def test_it_matches_a_brute_force_loop(problem):
    x, pool_arg, pool, stride, strides, padding = problem
    out = avg_pool2d(x, pool_size=pool_arg, stride=stride, padding=padding)
    expected = brute_force(x, pool, strides, padding, np.nanmean)
    assert out.dtype == np.float64
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(1, 3),
    st.sampled_from([1, 3, 5]),
    st.integers(0, 2**32 - 1),
)
def test_it_matches_scipy_for_same_with_stride_one(h, w, c, k, seed):
    # With stride 1 and an odd window, 'same' pads (k - 1) / 2 on both sides. A uniform filter
    # over zero-padded values divided by the same filter over a mask of ones excludes the padding.
    x = np.random.default_rng(seed).uniform(1, 5, size=(h, w, c))
    sums = scipy.ndimage.uniform_filter(x, size=(k, k, 1), mode="constant", cval=0.0)
    counts = scipy.ndimage.uniform_filter(np.ones((h, w, 1)), size=(k, k, 1), mode="constant", cval=0.0)
    np.testing.assert_allclose(avg_pool2d(x, pool_size=k, stride=1, padding="same"), sums / counts, rtol=1e-10)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 12), st.integers(2, 12), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_it_matches_block_means_when_windows_tile_the_input(bh, bw, k, c, seed):
    # With stride = pool size and no leftovers, pooling is a reshape into blocks and a mean.
    x = np.random.default_rng(seed).normal(size=(bh * k, bw * k, c))
    expected = x.reshape(bh, k, bw, k, c).mean(axis=(1, 3))
    np.testing.assert_allclose(avg_pool2d(x, pool_size=k), expected, rtol=1e-12, atol=1e-12)


def test_it_does_not_modify_the_input():
    x = np.random.default_rng(0).normal(size=(7, 6, 3))
    before = x.copy()
    avg_pool2d(x, pool_size=3, stride=2, padding="same")
    avg_pool2d(x, pool_size=2)
    np.testing.assert_array_equal(x, before)


def test_it_returns_float64_for_uint8_and_int_input():
    img = np.array([[250, 255], [253, 254]], dtype=np.uint8)
    out = avg_pool2d(img)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[253.0]])
    out = avg_pool2d(np.array([[-3, -7], [-9, -1]], dtype=np.int32), 2)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[-5.0]])


def test_it_defaults_the_stride_to_the_pool_size():
    x = np.arange(36.0).reshape(6, 6)
    np.testing.assert_array_equal(avg_pool2d(x, 3), [[7.0, 10.0], [25.0, 28.0]])
    np.testing.assert_array_equal(avg_pool2d(x, 3), avg_pool2d(x, 3, stride=3))


def test_it_puts_the_extra_same_padding_bottom_right_and_leaves_it_out():
    x = np.array([[1.0, 2.0, 3.0, 4.0, 5.0]])
    # n=5, k=2, s=2: out=3, total=1 -> windows {1,2}, {3,4}, {5, pad}.
    np.testing.assert_array_equal(avg_pool2d(x, (1, 2), padding="same"), [[1.5, 3.5, 5.0]])


def test_it_matches_the_hand_computed_same_example():
    x = np.arange(1.0, 10.0).reshape(3, 3)
    np.testing.assert_array_equal(avg_pool2d(x, 2, padding="same"), [[3.0, 4.5], [7.5, 9.0]])


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
        avg_pool2d(np.zeros((4, 4, 1)), **kwargs)


def test_it_rejects_wrong_dimensions():
    with pytest.raises(ValueError):
        avg_pool2d(np.zeros(5))
    with pytest.raises(ValueError):
        avg_pool2d(np.zeros((1, 4, 4, 1)))
