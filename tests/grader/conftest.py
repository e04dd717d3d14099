"""Shared fixtures for the grader tests: one real sandbox for the session and loaded exercises.

``conv2d`` is the real package from ``exercises/``. ``relu`` and ``output-size`` are small
fixture packages written here into a temporary root, with the product's signatures but
cases this suite controls (fixed hidden values it can look for in messages, cases that a
submission can single out to hang, a short time limit so timeouts cost little). They are
independent of the real ``exercises/relu`` and ``exercises/output-size``, which have their
own tests, so a change there never changes what these tests mean.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from grader.grade import grade_submission
from grader.package import Exercise, load_exercise
from grader.sandbox import Sandbox

REPO_ROOT = Path(__file__).resolve().parents[2]
EXERCISES_DIR = REPO_ROOT / "exercises"

# Values of the fixture relu's hidden cases: none of them may ever reach a student.
HIDDEN_RELU_VALUES = ("7.125", "9.375", "2.0625", "6.8125", "5.5", "8.4375", "4.75", "3.25", "1.5")

RELU_FILES = {
    "exercise.toml": """\
        slug = "relu"
        title = "ReLU (grader test fixture)"
        function = "relu"
        returns = "array"
        order = 1
        time_limit_s = 1.0
        memory_limit_mb = 64
        rtol = 1e-9
        atol = 1e-12
        """,
    "statement.md": "# ReLU\n\nReturn max(x, 0) element-wise as a new float64 array.\n",
    "starter.py": "import numpy as np\n\n\ndef relu(x):\n    raise NotImplementedError\n",
    "reference.py": """\
        import numpy as np


        def relu(x):
            return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
        """,
    "tests.py": """\
        import numpy as np

        from grader.spec import case


        def visible_cases():
            return [
                case("mixed signs", np.array([-2.0, -0.5, 0.0, 1.5, 3.0])),
                case("small matrix", np.array([[1.0, -1.0], [-3.0, 4.0]])),
            ]


        def hidden_cases():
            return [
                case(
                    "hidden negatives",
                    np.array([[-7.125, 9.375, -2.0625], [6.8125, -5.5, 8.4375]]),
                    points=3.0,
                    hint="Negative values become zero.",
                ),
                case("single value", np.array([-4.75])),
                case("single value 2d", np.array([[3.25]])),
                case("single value 3d", np.array([[[-1.5]]])),
                case("3d tensor", np.arange(-12.0, 12.0).reshape(2, 3, 4), points=0.5),
            ]


        def random_cases(rng):
            rows, cols = (int(v) for v in rng.integers(2, 9, size=2))
            return [case("random matrix", rng.normal(size=(rows, cols)))]
        """,
}

OUTPUT_SIZE_FILES = {
    "exercise.toml": """\
        slug = "output-size"
        title = "Output size (grader test fixture)"
        function = "output_size"
        returns = "int"
        order = 2
        time_limit_s = 1.0
        memory_limit_mb = 64
        """,
    "statement.md": "# Output size\n\nThe size of one output dimension.\n",
    "starter.py": "def output_size(n, kernel_size, stride=1, padding='valid'):\n    raise NotImplementedError\n",
    "reference.py": """\
        def output_size(n, kernel_size, stride=1, padding="valid"):
            if padding == "same":
                return -(-n // stride)
            pad = 0 if padding == "valid" else padding
            return max((n + 2 * pad - kernel_size) // stride + 1, 0)
        """,
    "tests.py": """\
        from grader.spec import case


        def visible_cases():
            return [
                case("valid 3 on 7", 7, 3),
                case("valid with stride 2", 7, 3, stride=2),
            ]


        def hidden_cases():
            return [
                case("same with stride 3", 10, 3, stride=3, padding="same"),
                case("kernel larger than the input", 2, 5),
                case("int padding", 5, 3, padding=1),
            ]


        def random_cases(rng):
            n = int(rng.integers(1, 1000))
            return [case("random valid", n, int(rng.integers(1, n + 1)), stride=int(rng.integers(1, 5)))]
        """,
}


def write_package(root: Path, slug: str, files: dict[str, str]) -> Path:
    folder = root / slug
    (folder / "solutions").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def fixture_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root folder holding the fixture packages ``relu`` and ``output-size``."""
    root = tmp_path_factory.mktemp("exercises")
    write_package(root, "relu", RELU_FILES)
    write_package(root, "output-size", OUTPUT_SIZE_FILES)
    return root


@pytest.fixture(scope="session")
def conv2d() -> Exercise:
    return load_exercise(EXERCISES_DIR / "conv2d")


@pytest.fixture(scope="session")
def relu(fixture_root: Path) -> Exercise:
    return load_exercise(fixture_root / "relu")


@pytest.fixture(scope="session")
def output_size(fixture_root: Path) -> Exercise:
    return load_exercise(fixture_root / "output-size")


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    """One real sandbox slot (bubblewrap, cgroup, zygote) shared by every grader test."""
    with Sandbox(slot=5) as sb:
        yield sb


@pytest.fixture(scope="session")
def grade(sandbox: Sandbox) -> Callable[..., dict]:
    """``grade(exercise, code, seed=1)``: one grading through the real sandbox."""

    def run(exercise: Exercise, code: str | bytes, seed: int | None = 1) -> dict:
        if isinstance(code, str):
            code = textwrap.dedent(code)
        return grade_submission(exercise, code, sandbox, seed=seed)

    return run


@pytest.fixture
def copy_package(tmp_path: Path) -> Callable[[Path], Path]:
    """Copy a package folder into ``tmp_path`` (same folder name) and return the copy."""

    def copy(source: Path) -> Path:
        target = tmp_path / source.name
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        return target

    return copy


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``python -m grader ARGS`` from the repository root, as instructors and CI run it."""
    return subprocess.run(
        [sys.executable, "-m", "grader", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def by_name(result: dict) -> dict[str, dict]:
    return {t["name"]: t for t in result["tests"]}


# Correct solutions, inline, used by several files.
GOOD_RELU = """\
import numpy as np


def relu(x):
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
"""

GOOD_OUTPUT_SIZE = """\
def output_size(n, kernel_size, stride=1, padding="valid"):
    if padding == "same":
        return -(-n // stride)
    pad = 0 if padding == "valid" else padding
    return max((n + 2 * pad - kernel_size) // stride + 1, 0)
"""

GOOD_CONV2D = """\
import numpy as np


def conv2d(image, kernel, stride=1, padding="valid"):
    image = np.asarray(image, dtype=np.float64)
    kernel = np.asarray(kernel, dtype=np.float64)
    sr, sc = (stride, stride) if isinstance(stride, int) else stride
    kh, kw = kernel.shape
    if padding == "valid":
        pads = ((0, 0), (0, 0))
    elif padding == "same":
        pads = []
        for n, k, s in ((image.shape[0], kh, sr), (image.shape[1], kw, sc)):
            total = max((-(-n // s) - 1) * s + k - n, 0)
            pads.append((total // 2, total - total // 2))
    else:
        pr, pc = (padding, padding) if isinstance(padding, int) else padding
        pads = ((pr, pr), (pc, pc))
    padded = np.pad(image, pads)
    out_h = max((padded.shape[0] - kh) // sr + 1, 0)
    out_w = max((padded.shape[1] - kw) // sc + 1, 0)
    out = np.zeros((out_h, out_w))
    for r in range(out_h):
        for c in range(out_w):
            out[r, c] = np.sum(padded[r * sr : r * sr + kh, c * sc : c * sc + kw] * kernel)
    return out
"""
