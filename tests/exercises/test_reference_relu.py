"""The relu reference agrees with np.where and returns new float64 arrays."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.package import find_exercise

EXERCISE = find_exercise("relu")
relu = EXERCISE.reference_function

dtypes = st.sampled_from([np.float64, np.float32, np.int64, np.int32, np.int8, np.uint8, np.uint16])
arrays = dtypes.flatmap(
    lambda dtype: hnp.arrays(
        dtype,
        hnp.array_shapes(min_dims=1, max_dims=4, min_side=0, max_side=6),
        elements=(
            st.floats(-1e6, 1e6, width=32 if dtype is np.float32 else 64) if np.issubdtype(dtype, np.floating) else None
        ),
    )
)


@settings(max_examples=100, deadline=None)
@given(arrays)
def test_it_matches_np_where(x):
    before = x.copy()
    result = relu(x)
    expected = np.where(x.astype(np.float64) > 0, x.astype(np.float64), 0.0)
    assert isinstance(result, np.ndarray)
    assert result.dtype == np.float64
    assert result.shape == x.shape
    np.testing.assert_array_equal(result, expected)
    assert x.dtype == before.dtype and np.array_equal(x, before)
    assert not np.shares_memory(result, x)


def test_it_handles_uint8_and_int8_extremes():
    assert relu(np.array([0, 200, 255], dtype=np.uint8)).tolist() == [0.0, 200.0, 255.0]
    result = relu(np.array([-128, -1, 0, 127], dtype=np.int8))
    assert result.dtype == np.float64
    assert result.tolist() == [0.0, 0.0, 0.0, 127.0]


def test_it_returns_a_new_array_for_all_positive_float64_input():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    result = relu(x)
    assert result is not x and not np.shares_memory(result, x)
    result[0, 0] = -5.0
    assert x[0, 0] == 1.0
