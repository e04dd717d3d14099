"""Malformed exercise packages: every problem is a PackageError naming the file and, where
there is one, the line, never a traceback from deep inside the grader.

Each test copies a package into tmp_path and breaks one thing. Most use the fixture relu
package from conftest.py, whose text this suite controls; a few use the real conv2d.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.grade import grade_submission
from grader.package import PackageError, load_exercise
from tests.grader.conftest import EXERCISES_DIR, GOOD_RELU, run_cli


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    """The number of the (only) line of ``path`` containing ``fragment``."""
    numbers = [n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in text]
    assert len(numbers) == 1, (fragment, numbers)
    return numbers[0]


def package_error(action) -> PackageError:
    with pytest.raises(PackageError) as info:
        action()
    return info.value


def assert_names(error: PackageError, path: Path, line: int | None = None) -> None:
    text = str(error)
    assert str(path) in text, text
    if line is not None:
        assert f"{path}:{line}:" in text, text
        assert error.line == line


@pytest.fixture
def relu_copy(copy_package, fixture_root) -> Path:
    return copy_package(fixture_root / "relu")


def test_it_loads_the_unbroken_copy(relu_copy):
    """The baseline for every test below: the copy itself is a valid package."""
    exercise = load_exercise(relu_copy)
    assert exercise.slug == "relu"
    assert exercise.build_cases(1)


# -- files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["statement.md", "tests.py", "reference.py", "exercise.toml", "starter.py"])
def test_it_names_a_missing_file(copy_package, name):
    package = copy_package(EXERCISES_DIR / "conv2d")
    (package / name).unlink()
    error = package_error(lambda: load_exercise(package))
    assert name in str(error)
    assert str(package) in str(error)


def test_it_names_a_folder_that_is_not_there(tmp_path):
    error = package_error(lambda: load_exercise(tmp_path / "no-such-exercise"))
    assert "no-such-exercise" in str(error)


# -- exercise.toml ----------------------------------------------------------------


def test_it_gives_the_line_of_invalid_toml(relu_copy):
    toml = relu_copy / "exercise.toml"
    replace(toml, 'function = "relu"', "function = = relu")
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml, line_of(toml, "function = = relu"))
    assert "TOML" in str(error)


def test_it_rejects_a_time_limit_of_the_wrong_type(relu_copy):
    toml = relu_copy / "exercise.toml"
    replace(toml, "time_limit_s = 1.0", 'time_limit_s = "1 second"')
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml, line_of(toml, "time_limit_s"))
    assert "time_limit_s" in str(error) and "str" in str(error)


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("time_limit_s = 1.0", "time_limit_s = 0", "time_limit_s"),
        ("time_limit_s = 1.0", "time_limit_s = 1e6", "time_limit_s"),
        ("memory_limit_mb = 64", "memory_limit_mb = 64.5", "memory_limit_mb"),
        ("memory_limit_mb = 64", "memory_limit_mb = true", "memory_limit_mb"),
        ("memory_limit_mb = 64", "memory_limit_mb = 4", "memory_limit_mb"),
        ("rtol = 1e-9", 'rtol = "tight"', "rtol"),
    ],
)
def test_it_rejects_a_bad_limit_or_tolerance_naming_its_line(relu_copy, old, new, key):
    toml = relu_copy / "exercise.toml"
    replace(toml, old, new)
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml, line_of(toml, new))
    assert key in str(error)


def test_it_names_a_missing_required_key(relu_copy):
    toml = relu_copy / "exercise.toml"
    replace(toml, 'function = "relu"\n', "")
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml)
    assert "function" in str(error)


def test_it_rejects_a_slug_that_does_not_match_the_folder(relu_copy):
    toml = relu_copy / "exercise.toml"
    replace(toml, 'slug = "relu"', 'slug = "leaky-relu"')
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml, line_of(toml, "slug ="))
    assert "leaky-relu" in str(error) and "'relu'" in str(error)


def test_it_rejects_an_unknown_return_kind(relu_copy):
    toml = relu_copy / "exercise.toml"
    replace(toml, 'returns = "array"', 'returns = "list"')
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml, line_of(toml, "returns ="))
    assert "array" in str(error) and "int" in str(error)


def test_it_names_a_sample_check_for_a_missing_solution_file(relu_copy):
    toml = relu_copy / "exercise.toml"
    toml.write_text(toml.read_text() + '\n[sample_checks]\n"bad_missing.py" = ["mixed signs"]\n')
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, toml, line_of(toml, "bad_missing.py"))
    assert "solutions/bad_missing.py" in str(error)


# -- tests.py ---------------------------------------------------------------------


def test_it_gives_the_line_of_a_syntax_error_in_tests(relu_copy):
    tests = relu_copy / "tests.py"
    replace(tests, "def hidden_cases():", "def hidden_cases(:")
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, tests, line_of(tests, "def hidden_cases(:"))
    assert "syntax" in str(error).lower()


def test_it_gives_the_line_of_an_exception_while_loading_tests(relu_copy):
    tests = relu_copy / "tests.py"
    replace(tests, "from grader.spec import case\n", "from grader.spec import case\n\nSCALE = {}['scale']\n")
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, tests, line_of(tests, "SCALE = {}"))
    assert "KeyError" in str(error)


def test_it_gives_both_lines_of_a_duplicate_test_name(relu_copy):
    tests = relu_copy / "tests.py"
    replace(tests, 'case("single value 2d",', 'case("single value",')
    exercise = load_exercise(relu_copy)
    error = package_error(lambda: exercise.build_cases(1))
    first = line_of(tests, 'case("single value", np.array([-4.75]))')
    second = line_of(tests, 'case("single value", np.array([[3.25]]))')
    assert_names(error, tests, second)
    assert "single value" in str(error) and f"line {first}" in str(error)


def test_it_finds_a_duplicate_between_fixed_and_random_cases(relu_copy):
    tests = relu_copy / "tests.py"
    replace(tests, 'case("random matrix",', 'case("mixed signs",')
    exercise = load_exercise(relu_copy)
    error = package_error(lambda: exercise.build_cases(1))
    first = line_of(tests, 'case("mixed signs", np.array')
    assert_names(error, tests, line_of(tests, 'case("mixed signs", rng.normal'))
    assert f"line {first}" in str(error)


@pytest.mark.parametrize("returned", ["None", "tuple(cases)", "[cases[0], 'not a case']"])
def test_it_rejects_a_test_function_that_does_not_return_a_list_of_cases(relu_copy, returned):
    tests = relu_copy / "tests.py"
    replace(
        tests,
        '    return [case("random matrix", rng.normal(size=(rows, cols)))]',
        f'    cases = [case("random matrix", rng.normal(size=(rows, cols)))]\n    return {returned}',
    )
    exercise = load_exercise(relu_copy)
    error = package_error(lambda: exercise.build_cases(1))
    assert_names(error, tests)
    assert "random_cases" in str(error) and "list" in str(error)


def test_it_gives_the_line_where_random_cases_raise(relu_copy):
    tests = relu_copy / "tests.py"
    replace(tests, "    rows, cols = ", "    rows, cols = rng.integers(2, 9, size=3)\n    rows, cols = ")
    exercise = load_exercise(relu_copy)
    error = package_error(lambda: exercise.build_cases(1))
    assert_names(error, tests, line_of(tests, "size=3"))
    assert "ValueError" in str(error)


def test_it_names_the_line_of_a_non_utf8_byte_in_tests(relu_copy):
    tests = relu_copy / "tests.py"
    data = tests.read_bytes().replace(b"def hidden_cases():", b"# caf\xe9\ndef hidden_cases():")
    tests.write_bytes(data)
    bad_line = data[: data.index(b"\xe9")].count(b"\n") + 1
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, tests, bad_line)
    assert "UTF-8" in str(error)


def test_it_reports_a_case_argument_the_sandbox_cannot_receive_as_a_package_error(relu_copy, sandbox):
    """A ``range`` reaches the reference fine (NumPy converts it) but cannot be sent to the sandbox."""
    tests = relu_copy / "tests.py"
    replace(tests, 'case("single value", np.array([-4.75]))', 'case("single value", range(-3, 3))')
    exercise = load_exercise(relu_copy)
    error = package_error(lambda: grade_submission(exercise, GOOD_RELU, sandbox, seed=1))
    assert_names(error, tests, line_of(tests, "range(-3, 3)"))


# -- reference.py -----------------------------------------------------------------


def test_it_names_reference_line_and_test_when_the_reference_raises(relu_copy):
    reference = relu_copy / "reference.py"
    replace(
        reference,
        "    return np.maximum(",
        "    if x.ndim == 3:\n        raise ValueError('3-D not supported')\n    return np.maximum(",
    )
    exercise = load_exercise(relu_copy)
    cases = {c.name: c for c in exercise.build_cases(1)}
    exercise.expected_output(cases["mixed signs"])  # fine on 1-D input
    error = package_error(lambda: exercise.expected_output(cases["single value 3d"]))
    assert_names(error, reference, line_of(reference, "raise ValueError"))
    assert "single value 3d" in str(error) and "3-D not supported" in str(error)
    assert f"line {cases['single value 3d'].lineno}" in str(error)  # where the test is defined


def test_it_names_the_function_missing_from_the_reference(relu_copy):
    reference = relu_copy / "reference.py"
    replace(reference, "def relu(x):", "def rectifier(x):")
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, reference)
    assert "relu()" in str(error)


def test_it_gives_the_line_of_a_syntax_error_in_the_reference(relu_copy):
    reference = relu_copy / "reference.py"
    replace(reference, "def relu(x):", "def relu(x)")
    error = package_error(lambda: load_exercise(relu_copy))
    assert_names(error, reference, line_of(reference, "def relu(x)"))


def test_it_stops_grading_with_a_package_error_when_the_reference_raises(relu_copy, sandbox):
    replace(relu_copy / "reference.py", "    return np.maximum(", "    assert x.ndim < 3\n    return np.maximum(")
    exercise = load_exercise(relu_copy)
    error = package_error(lambda: grade_submission(exercise, GOOD_RELU, sandbox, seed=1))
    assert "reference.py" in str(error)


# -- the command line on a broken package -----------------------------------------


def assert_one_clear_line(completed, *fragments: str) -> None:
    assert completed.returncode == 2, (completed.returncode, completed.stderr)
    stderr = completed.stderr.strip()
    assert "Traceback" not in completed.stderr
    assert len(stderr.splitlines()) == 1, completed.stderr
    for fragment in fragments:
        assert fragment in stderr, stderr
    assert completed.stdout == ""


def test_it_exits_2_with_one_line_when_grading_against_a_package_that_does_not_load(relu_copy, tmp_path):
    toml = relu_copy / "exercise.toml"
    replace(toml, 'function = "relu"', "function = = relu")
    submission = tmp_path / "submission.py"
    submission.write_text(GOOD_RELU)
    completed = run_cli("--root", str(relu_copy.parent), "grade", "relu", str(submission))
    assert_one_clear_line(completed, "exercise.toml", f":{line_of(toml, 'function = = relu')}:")


def test_it_exits_2_with_one_line_when_the_reference_raises_during_grading(relu_copy, tmp_path):
    reference = relu_copy / "reference.py"
    replace(reference, "    return np.maximum(", "    assert x.ndim < 3, 'no 3-D'\n    return np.maximum(")
    submission = tmp_path / "submission.py"
    submission.write_text(GOOD_RELU)
    completed = run_cli("--root", str(relu_copy.parent), "grade", "relu", str(submission))
    assert_one_clear_line(completed, "reference.py", f":{line_of(reference, 'assert x.ndim')}:")
    assert re.search(r"single value 3d|3d tensor", completed.stderr)
