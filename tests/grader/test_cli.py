"""``python -m grader ...`` as instructors and CI call it: a real process from the repository root."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from grader.package import load_exercise
from tests.grader.conftest import EXERCISES_DIR, GOOD_CONV2D, GOOD_RELU, run_cli

RESULT_KEYS = {"exercise", "verdict", "score", "points", "max_points", "tests", "stdout", "duration_ms"}
TEST_KEYS = {"name", "visible", "passed", "verdict", "message"}


def strict_json(text: str) -> dict:
    """Parse exactly one JSON object, refusing NaN and Infinity (not JSON)."""

    def refuse(constant: str):
        raise ValueError(f"non-standard JSON constant {constant}")

    value = json.loads(text, parse_constant=refuse)
    assert isinstance(value, dict)
    return value


@pytest.fixture
def write(tmp_path: Path):
    def write(name: str, code: str) -> Path:
        path = tmp_path / name
        path.write_text(code)
        return path

    return write


@pytest.fixture
def small_root(tmp_path: Path, fixture_root: Path) -> Path:
    """A root with the real conv2d and the fixture relu and output-size packages."""
    root = tmp_path / "root"
    root.mkdir()
    shutil.copytree(EXERCISES_DIR / "conv2d", root / "conv2d", ignore=shutil.ignore_patterns("__pycache__"))
    for slug in ("relu", "output-size"):
        shutil.copytree(fixture_root / slug, root / slug)
    return root


# -- grade ------------------------------------------------------------------------


def test_it_prints_one_json_result_for_a_passing_solution(write):
    completed = run_cli("grade", "conv2d", str(write("good.py", GOOD_CONV2D)))
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.count("\n") == 1  # one line: one object
    result = strict_json(completed.stdout)
    assert set(result) >= RESULT_KEYS
    assert result["exercise"] == "conv2d"
    assert result["verdict"] == "passed" and result["score"] == 1.0
    assert result["points"] == result["max_points"] > 0
    assert isinstance(result["duration_ms"], (int, float)) and result["duration_ms"] >= 0
    assert result["tests"] and all(set(t) >= TEST_KEYS for t in result["tests"])
    assert any(t["visible"] for t in result["tests"]) and any(not t["visible"] for t in result["tests"])


def test_it_exits_0_for_a_failing_solution_too(write):
    code = "import numpy as np\n\ndef conv2d(image, kernel, stride=1, padding='valid'):\n    return np.zeros((1, 1))\n"
    completed = run_cli("grade", "conv2d", str(write("bad.py", code)))
    assert completed.returncode == 0, completed.stderr
    result = strict_json(completed.stdout)
    assert result["verdict"] == "failed" and result["score"] < 1
    assert {t["verdict"] for t in result["tests"]} <= {"wrong_shape", "wrong_values"}


def test_it_exits_0_for_a_whole_submission_verdict(write):
    completed = run_cli("grade", "conv2d", str(write("broken.py", "def conv2d(:\n")))
    assert completed.returncode == 0, completed.stderr
    result = strict_json(completed.stdout)
    assert result["verdict"] == "syntax_error" and result["score"] == 0


def test_it_keeps_what_the_submission_prints_out_of_its_own_output(write):
    code = 'print(\'{"verdict": "passed"}\')\n' + GOOD_CONV2D.replace(
        "    return out\n", "    print('score 1.0')\n    return out\n"
    )
    completed = run_cli("grade", "conv2d", str(write("chatty.py", code)))
    assert completed.returncode == 0, completed.stderr
    result = strict_json(completed.stdout)  # would fail if a print had reached the real stdout
    assert '{"verdict": "passed"}' in result["stdout"] and "score 1.0" in result["stdout"]


def test_it_refuses_an_unknown_exercise_listing_the_known_ones(write):
    completed = run_cli("grade", "conv3d", str(write("good.py", GOOD_CONV2D)))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "conv3d" in completed.stderr
    known = sorted(p.parent.name for p in EXERCISES_DIR.glob("*/exercise.toml"))
    assert all(slug in completed.stderr for slug in known), completed.stderr
    assert "Traceback" not in completed.stderr


def test_it_refuses_a_missing_submission_file(tmp_path):
    missing = tmp_path / "nowhere.py"
    completed = run_cli("grade", "conv2d", str(missing))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert str(missing) in completed.stderr
    assert "Traceback" not in completed.stderr


def test_it_gives_identical_randomized_results_for_the_same_seed(write, small_root):
    # Wrong only when the random matrix has an odd number of rows: the result depends on the random case.
    code = (
        "import numpy as np\n\ndef relu(x):\n    y = np.maximum(x, 0.0)\n    return y if x.shape[0] % 2 == 0 else -y\n"
    )
    path = write("odd.py", code)
    runs = [run_cli("--root", str(small_root), "grade", "relu", str(path), "--seed", "31337") for _ in range(2)]
    first, second = (strict_json(r.stdout) for r in runs)
    assert first["seed"] == second["seed"] == 31337
    assert first["tests"] == second["tests"]
    assert first["score"] == second["score"]


def test_it_grades_a_package_from_another_root(write, small_root):
    completed = run_cli("--root", str(small_root), "grade", "relu", str(write("relu.py", GOOD_RELU)))
    assert completed.returncode == 0, completed.stderr
    result = strict_json(completed.stdout)
    assert result["exercise"] == "relu" and result["score"] == 1.0


# -- validate ---------------------------------------------------------------------


def test_it_validates_conv2d():
    completed = run_cli("validate", "conv2d")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "conv2d: ok" in completed.stdout.splitlines()


def test_it_fails_validation_naming_a_good_sample_that_does_not_pass(small_root):
    sample = small_root / "conv2d" / "solutions" / "good_loops.py"
    sample.write_text(
        "import numpy as np\n\ndef conv2d(image, kernel, stride=1, padding='valid'):\n    return np.zeros((2, 2))\n"
    )
    completed = run_cli("--root", str(small_root), "validate", "conv2d", "--seeds", "1")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "conv2d: FAILED" in completed.stdout
    problems = [line for line in completed.stdout.splitlines() if "problem" in line]
    assert any("good_loops.py" in line for line in problems), completed.stdout
    assert not any("good_vectorized.py" in line for line in problems)


def test_it_fails_validation_when_a_bad_sample_scores_full_marks(small_root):
    shutil.copy(small_root / "conv2d" / "solutions" / "good_loops.py", small_root / "conv2d" / "solutions" / "bad_x.py")
    completed = run_cli("--root", str(small_root), "validate", "conv2d", "--seeds", "1")
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert any("bad_x.py" in line and "problem" in line for line in completed.stdout.splitlines()), completed.stdout


def test_it_reports_a_broken_package_as_a_validation_failure(small_root):
    toml = small_root / "conv2d" / "exercise.toml"
    toml.write_text(toml.read_text().replace("order = 3", "order = = 3"))
    completed = run_cli("--root", str(small_root), "validate", "conv2d", "--seeds", "1")
    assert completed.returncode == 1
    assert "conv2d: FAILED" in completed.stdout and "exercise.toml" in completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr


# -- list -------------------------------------------------------------------------


def test_it_lists_each_exercise_with_its_version(small_root):
    completed = run_cli("--root", str(small_root), "list")
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == 3
    for slug in ("conv2d", "relu", "output-size"):
        version = load_exercise(small_root / slug).version
        assert re.fullmatch(r"[0-9a-f]{16}", version)
        assert any(line.split()[:2] == [slug, version] for line in lines), (slug, version, lines)


def test_it_changes_the_listed_version_when_a_package_file_changes(small_root):
    def version_of(slug: str) -> str:
        lines = run_cli("--root", str(small_root), "list").stdout.splitlines()
        return next(line.split()[1] for line in lines if line.split()[0] == slug)

    before = version_of("relu")
    tests = small_root / "relu" / "tests.py"
    tests.write_text(tests.read_text() + "\n# edited\n")
    assert version_of("relu") != before
