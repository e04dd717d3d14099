"""The pad2d reference agrees with np.pad for every form of the pad argument."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.package import find_exercise

EXERCISE = find_exercise("pad2d")
pad2d = EXERCISE.reference_function

widths = st.integers(0, 5)
pads = st.one_of(
    widths,
    st.tuples(widths, widths),
    st.tuples(st.tuples(widths, widths), st.tuples(widths, widths)),
)


def np_pad_widths(pad, ndim):
    if isinstance(pad, int):
        spatial = [(pad, pad), (pad, pad)]
    elif isinstance(pad[0], int):
        spatial = [(pad[0], pad[0]), (pad[1], pad[1])]
    else:
        spatial = [tuple(pad[0]), tuple(pad[1])]
    return spatial + [(0, 0)] * (ndim - 2)


@st.composite
def images(draw):
    shape = [draw(st.integers(1, 12)), draw(st.integers(1, 12))]
    if draw(st.booleans()):
        shape.append(draw(st.integers(1, 6)))
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.uint8]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    if info is not None:
        return rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    return rng.normal(scale=100.0, size=shape).astype(dtype)


@settings(max_examples=100, deadline=None)
@given(images(), pads)
def test_it_matches_np_pad(image, pad):
    before = image.copy()
    result = pad2d(image, pad)
    expected = np.pad(image.astype(np.float64), np_pad_widths(pad, image.ndim), mode="constant")
    assert result.dtype == np.float64
    assert result.shape == expected.shape
    np.testing.assert_array_equal(result, expected)
    assert image.dtype == before.dtype and np.array_equal(image, before)


@settings(max_examples=50, deadline=None)
@given(images(), pads)
def test_it_never_pads_channels_and_returns_a_new_array(image, pad):
    result = pad2d(image, pad)
    assert result.shape[2:] == image.shape[2:]
    assert not np.shares_memory(result, image)


def test_it_returns_float64_for_uint8_without_changing_values():
    image = np.array([[0, 128, 255]], dtype=np.uint8)
    result = pad2d(image, (0, 1))
    assert result.dtype == np.float64
    assert result.tolist() == [[0.0, 0.0, 128.0, 255.0, 0.0]]


def test_it_reads_pairs_as_rows_then_columns():
    assert pad2d(np.ones((2, 2)), (1, 0)).shape == (4, 2)
    assert pad2d(np.ones((2, 2)), ((0, 1), (2, 0))).tolist() == [[0, 0, 1, 1], [0, 0, 1, 1], [0, 0, 0, 0]]


@pytest.mark.parametrize("pad", [-1, (1, -1), ((0, 1), (1, -2)), (1, 2, 3), "same", 1.5, ((1, 1), 2), None, True])
def test_it_rejects_invalid_pads(pad):
    with pytest.raises(ValueError):
        pad2d(np.ones((3, 3)), pad)


def test_it_rejects_wrong_ranks():
    with pytest.raises(ValueError):
        pad2d(np.ones(3), 1)
    with pytest.raises(ValueError):
        pad2d(np.ones((2, 2, 2, 2)), 1)
