"""The global-avg-pool reference agrees with independent computations."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.package import find_exercise

global_avg_pool = find_exercise("global-avg-pool").reference_function

shapes = st.tuples(st.integers(1, 12), st.integers(1, 12), st.integers(1, 8))


@settings(max_examples=100, deadline=None)
@given(hnp.arrays(np.float64, shapes, elements=st.floats(-1e6, 1e6, allow_nan=False)))
def test_it_matches_numpy_mean_over_the_spatial_axes(x):
    out = global_avg_pool(x)
    assert out.dtype == np.float64
    assert out.shape == (x.shape[2],)
    np.testing.assert_allclose(out, x.mean(axis=(0, 1)), rtol=1e-9, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.uint8, shapes))
def test_it_matches_an_exact_integer_sum_for_uint8(x):
    # Python ints never overflow: the exact per-channel total divided by the pixel count.
    h, w, c = x.shape
    totals = [sum(int(v) for v in x[:, :, k].ravel()) for k in range(c)]
    out = global_avg_pool(x)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out, [t / (h * w) for t in totals], rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.int32, shapes, elements=st.integers(-1000, 1000)))
def test_it_is_the_pooled_value_of_a_window_covering_the_map(x):
    # Global average pooling equals average pooling with one window as large as the input.
    avg_pool2d = find_exercise("avg-pool").reference_function
    h, w, _ = x.shape
    np.testing.assert_allclose(global_avg_pool(x), avg_pool2d(x, (h, w))[0, 0], rtol=1e-12)


def test_it_matches_the_worked_example():
    x = np.array([[[1, 10], [2, 20]], [[3, 30], [4, 40]]])
    np.testing.assert_array_equal(global_avg_pool(x), [2.5, 25.0])
    img = np.array([200, 250, 255, 255], dtype=np.uint8).reshape(2, 2, 1)
    np.testing.assert_array_equal(global_avg_pool(img), [240.0])


def test_it_does_not_modify_the_input():
    x = np.random.default_rng(0).normal(size=(5, 4, 3))
    before = x.copy()
    global_avg_pool(x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("shape", [(5,), (4, 4), (1, 3, 3, 2), (0, 3, 2), (3, 0, 2)])
def test_it_rejects_inputs_that_are_not_a_feature_map_stack(shape):
    with pytest.raises(ValueError):
        global_avg_pool(np.zeros(shape))
