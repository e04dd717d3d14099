"""The edge-kernel reference passes every check; kernels that are not vertical-edge detectors fail."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from grader.package import find_exercise

EXERCISE = find_exercise("edge-kernel")
vertical_edge_kernel = EXERCISE.reference_function


def failed_checks(kernel, seed):
    return [c.name for c in EXERCISE.build_cases(seed) if c.check(kernel) is not None]


def is_vertical_edge_detector(kernel):
    """Independent criterion: every row sums to 0 (flat and horizontal edges give 0), and one of the
    two windows straddling a unit vertical step responds with at least 1."""
    if kernel.shape != (3, 3) or kernel.dtype != np.float64:
        return False
    if np.any(kernel.sum(axis=1) != 0):
        return False
    col = kernel.sum(axis=0)
    return max(abs(col[1] + col[2]), abs(col[2])) >= 1


@pytest.mark.parametrize("seed", range(25))
def test_it_passes_every_check(seed):
    kernel = vertical_edge_kernel()
    assert kernel.shape == (3, 3) and kernel.dtype == np.float64
    assert failed_checks(kernel, seed) == []


@pytest.mark.parametrize(
    "name, kernel",
    [
        ("all zeros", np.zeros((3, 3))),
        ("horizontal sobel", np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]])),
        ("laplacian", np.array([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]])),
        ("box blur", np.ones((3, 3)) / 9.0),
        ("too weak", vertical_edge_kernel() / 10.0),
        ("int dtype", np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])),
        ("wrong shape", np.array([[-1.0, 0.0, 1.0]])),
        ("nan", np.full((3, 3), np.nan)),
        ("strings", np.array([["a"] * 3] * 3)),
    ],
)
def test_it_rejects_kernels_that_are_not_vertical_edge_detectors(name, kernel):
    for seed in range(5):
        assert failed_checks(kernel, seed), name


small_ints = st.integers(-3, 3)
balanced_rows = st.tuples(small_ints, small_ints).map(lambda ab: [ab[0], ab[1], -ab[0] - ab[1]])
kernels = st.one_of(
    st.lists(st.lists(small_ints, min_size=3, max_size=3), min_size=3, max_size=3),
    st.lists(balanced_rows, min_size=3, max_size=3),
).map(lambda rows: np.array(rows, dtype=np.float64))


@settings(max_examples=100, deadline=None)
@given(kernels, st.integers(0, 2**32 - 1))
def test_it_accepts_exactly_the_vertical_edge_detectors(kernel, seed):
    assert (failed_checks(kernel, seed) == []) == is_vertical_edge_detector(kernel)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans(), st.floats(0.01, 1e3))
def test_it_accepts_a_scaled_sobel_only_when_strong_enough(seed, negate, scale):
    assume(abs(4 * scale - 1) > 1e-6)  # the reference responds with 4 per unit step; the threshold is 1
    kernel = vertical_edge_kernel() * (-scale if negate else scale)
    passes = failed_checks(kernel, seed) == []
    assert passes == (4 * scale >= 1)
