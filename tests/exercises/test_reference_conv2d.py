"""The conv2d reference agrees with scipy's correlate2d on explicitly padded inputs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.signal import correlate2d

from grader.package import find_exercise

EXERCISE = find_exercise("conv2d")
conv2d = EXERCISE.reference_function


def minimal_same_padding(n, k, s):
    """Smallest total zero padding that gives ceil(n / s) windows, split with the extra zero after."""
    wanted = math.ceil(n / s)
    total = 0
    while (n + total - k) // s + 1 < wanted:
        total += 1
    return total // 2, total - total // 2


def independent_conv2d(image, kernel, stride, padding):
    sr, sc = (stride, stride) if isinstance(stride, int) else stride
    kh, kw = kernel.shape
    if padding == "valid":
        widths = ((0, 0), (0, 0))
    elif padding == "same":
        widths = (minimal_same_padding(image.shape[0], kh, sr), minimal_same_padding(image.shape[1], kw, sc))
    else:
        pr, pc = (padding, padding) if isinstance(padding, int) else padding
        widths = ((pr, pr), (pc, pc))
    padded = np.pad(image.astype(np.float64), widths)
    return correlate2d(padded, kernel.astype(np.float64), mode="valid")[::sr, ::sc]


@st.composite
def problems(draw):
    h, w = draw(st.integers(1, 14)), draw(st.integers(1, 14))
    stride = draw(st.one_of(st.integers(1, 4), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    padding = draw(
        st.one_of(
            st.just("valid"),
            st.just("same"),
            st.integers(0, 3),
            st.tuples(st.integers(0, 3), st.integers(0, 3)),
        )
    )
    if padding == "valid":
        pr = pc = 0
    elif padding == "same":
        pr = pc = None
    else:
        pr, pc = (padding, padding) if isinstance(padding, int) else padding
    # The kernel must fit into the (padded) image; with 'same' any size works.
    kh = draw(st.integers(1, 6 if pr is None else min(6, h + 2 * pr)))
    kw = draw(st.integers(1, 6 if pc is None else min(6, w + 2 * pc)))
    seed = draw(st.integers(0, 2**32 - 1))
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.uint8]))
    rng = np.random.default_rng(seed)
    if dtype is np.uint8:
        image = rng.integers(0, 255, size=(h, w), endpoint=True).astype(np.uint8)
    elif dtype is np.int64:
        image = rng.integers(-100, 100, size=(h, w))
    else:
        image = rng.normal(size=(h, w)).astype(dtype)
    kernel = rng.normal(size=(kh, kw))
    return image, kernel, stride, padding


@settings(max_examples=100, deadline=None)
@given(problems())
def test_it_matches_scipy_correlate2d(problem):
    image, kernel, stride, padding = problem
    expected = independent_conv2d(image, kernel, stride, padding)
    result = conv2d(image, kernel, stride=stride, padding=padding)
    assert result.dtype == np.float64
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=1e-10, atol=1e-10)


@settings(max_examples=50, deadline=None)
@given(problems())
def test_it_does_not_modify_its_inputs(problem):
    image, kernel, stride, padding = problem
    image_before, kernel_before = image.copy(), kernel.copy()
    conv2d(image, kernel, stride=stride, padding=padding)
    assert image.dtype == image_before.dtype and np.array_equal(image, image_before)
    assert np.array_equal(kernel, kernel_before)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(["valid", "same", 1, (2, 0)]))
def test_it_computes_uint8_without_overflow(seed, padding):
    rng = np.random.default_rng(seed)
    image = rng.integers(128, 255, size=(6, 7), endpoint=True).astype(np.uint8)
    kernel = rng.integers(1, 255, size=(3, 2), endpoint=True).astype(np.uint8)
    result = conv2d(image, kernel, padding=padding)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(
        result, independent_conv2d(image.astype(np.int64), kernel.astype(np.int64), 1, padding)
    )


def test_it_does_not_flip_the_kernel():
    image = np.zeros((3, 3))
    image[0, 0] = 1.0
    kernel = np.arange(9, dtype=np.float64).reshape(3, 3)
    assert conv2d(image, kernel).tolist() == [[0.0]]
    assert conv2d(image, kernel, padding="same")[1, 1] == 0.0
    assert conv2d(image, kernel, padding="same")[0, 0] == kernel[1, 1]


def test_it_puts_the_extra_same_zero_bottom_right():
    image = np.arange(1.0, 10.0).reshape(3, 3)
    result = conv2d(image, np.array([[1.0, -1.0], [0.0, 2.0]]), padding="same")
    np.testing.assert_array_equal(result, [[9, 11, 3], [15, 17, 6], [-1, -1, 9]])


def test_it_returns_an_empty_map_when_the_kernel_does_not_fit():
    assert conv2d(np.ones((2, 5)), np.ones((3, 3))).shape == (0, 3)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"padding": "full"},
        {"padding": "SAME!"},
        {"padding": -1},
        {"padding": (1, 2, 3)},
        {"stride": 0},
        {"stride": (1, 0)},
        {"stride": 1.5},
        {"stride": True},
    ],
)
def test_it_rejects_invalid_arguments(kwargs):
    with pytest.raises(ValueError):
        conv2d(np.ones((4, 4)), np.ones((2, 2)), **kwargs)


def test_it_rejects_wrong_ranks():
    with pytest.raises(ValueError):
        conv2d(np.ones((4, 4, 3)), np.ones((2, 2)))
    with pytest.raises(ValueError):
        conv2d(np.ones((4, 4)), np.ones(3))
