"""The output-size reference agrees with counting window positions and with conv2d's output shape."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.package import find_exercise

EXERCISE = find_exercise("output-size")
output_size = EXERCISE.reference_function
conv2d = find_exercise("conv2d").reference_function

paddings = st.one_of(st.just("valid"), st.just("same"), st.integers(0, 6))


def count_windows(n, k, s, padding):
    """Brute force: count the window start positions."""
    if padding == "same":
        # One output per stride step whose start lies inside the input.
        return len(range(0, n, s))
    length = n + 2 * (0 if padding == "valid" else padding)
    return sum(1 for start in range(0, length, s) if start + k <= length)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 80), st.integers(1, 20), st.integers(1, 8), paddings)
def test_it_matches_a_brute_force_count(n, k, s, padding):
    result = output_size(n, k, s, padding)
    assert type(result) is int
    assert result == count_windows(n, k, s, padding)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 20), st.integers(1, 8), st.integers(1, 5), paddings)
def test_it_matches_the_length_of_a_conv2d_output(n, k, s, padding):
    feature_map = conv2d(np.ones((n, 1)), np.ones((k, 1)), stride=(s, 1), padding=padding)
    assert output_size(n, k, s, padding) == feature_map.shape[0]


def test_it_accepts_keywords_and_numpy_ints():
    assert output_size(n=7, kernel_size=3, stride=2, padding="same") == 4
    assert type(output_size(np.int64(7), np.int32(3))) is int


def test_it_is_never_negative():
    assert output_size(3, 5) == 0
    assert output_size(3, 4, 2) == 0
    assert output_size(1, 5, 1, 1) == 0


@pytest.mark.parametrize(
    "args",
    [(5, 3, 1, "full"), (5, 3, 1, -1), (5, 0), (5, 3, 0), (-1, 3), (5.0, 3), (5, 3, 1, (1, 1)), (5, True)],
)
def test_it_rejects_invalid_arguments(args):
    with pytest.raises(ValueError):
        output_size(*args)
