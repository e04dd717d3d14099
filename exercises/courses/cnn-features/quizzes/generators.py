"""Parameter generators for the parameterized questions of the cnn-features quizzes.

Each generator draws its parameters from the student's ``rng`` and computes the answer with
the grader's reference function for the matching exercise, so a quiz answer can never
disagree with what the code exercises accept.
"""

import functools

import numpy as np

from grader.package import find_exercise


@functools.cache
def _reference(slug):
    return find_exercise(slug).reference_function


def _grid(rng, rows, cols, low=0, high=9):
    return rng.integers(low, high + 1, size=(rows, cols)).tolist()


def max_pool_grid(rng):
    """Max-pool a random 4x4 grid of small integers with a 2x2 window and stride 2."""
    grid = _grid(rng, 4, 4)
    pooled = _reference("max-pool")(np.array(grid, dtype=np.float64), 2)
    return {"params": {"grid": grid}, "answer": pooled.tolist()}


def avg_pool_grid(rng):
    """Average-pool a random 4x4 grid of small integers with a 2x2 window and stride 2."""
    grid = _grid(rng, 4, 4)
    pooled = _reference("avg-pool")(np.array(grid, dtype=np.float64), 2)
    return {"params": {"grid": grid}, "answer": pooled.tolist()}


def output_size_variant(rng):
    """One output dimension for a random input size, kernel, stride and padding."""
    n = int(rng.integers(5, 33))
    k = int(rng.choice([1, 3, 5]))
    s = int(rng.choice([1, 2, 3]))
    padding = str(rng.choice(["valid", "same"]))
    size = _reference("output-size")(n, k, s, padding)
    return {"params": {"n": n, "k": k, "s": s, "padding": padding}, "answer": int(size)}


def same_output_size(rng):
    """Output size of an n x n input with kernel k and stride s under 'same' padding."""
    n = int(rng.integers(6, 65))
    k = int(rng.choice([3, 5, 7]))
    s = int(rng.choice([1, 2, 4]))
    size = _reference("output-size")(n, k, s, "same")
    return {"params": {"n": n, "k": k, "s": s}, "answer": int(size)}


def conv_patch_value(rng):
    """The single output of a 3x3 kernel applied to a random 3x3 patch."""
    patch = _grid(rng, 3, 3, 0, 5)
    kernel = _grid(rng, 3, 3, -1, 1)
    out = _reference("conv2d")(np.array(patch, dtype=np.float64), np.array(kernel, dtype=np.float64))
    return {"params": {"patch": patch, "kernel": kernel}, "answer": float(out[0, 0])}


def relu_grid(rng):
    """ReLU of a random 3x3 grid with negative and positive integers."""
    grid = _grid(rng, 3, 3, -5, 5)
    out = _reference("relu")(np.array(grid, dtype=np.float64))
    return {"params": {"grid": grid}, "answer": out.tolist()}
