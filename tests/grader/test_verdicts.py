"""Per-test and whole-submission verdicts, graded through the real sandbox.

Every submission here is a few inline lines; the exercises are the real ``conv2d`` and the
fixture packages ``relu`` and ``output-size`` from conftest.py.
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pytest

from tests.grader.conftest import GOOD_CONV2D, GOOD_OUTPUT_SIZE, GOOD_RELU, HIDDEN_RELU_VALUES, by_name

GRADER_PATHS = ("/opt/stride", "jail", "grader/", "site-packages", "Traceback", 'File "')


def relu_with(body: str) -> str:
    """A correct relu with ``body`` (indented lines) run first inside the function."""
    lines = "\n".join("    " + line for line in body.strip().splitlines())
    return f"import numpy as np\nimport os\nimport time\n\n\ndef relu(x):\n{lines}\n    return np.maximum(x, 0.0)\n"


def assert_others_passed(result: dict, *failing: str) -> None:
    """Every test not named in ``failing`` was graded and passed."""
    others = {t["name"]: t["verdict"] for t in result["tests"] if t["name"] not in failing}
    assert others and set(others.values()) == {"passed"}, others


def assert_hidden_message_is_generic(test: dict) -> None:
    assert not test["visible"]
    message = test["message"]
    assert message, test
    assert not re.search(r"\d", message), message
    assert not any(value in message for value in HIDDEN_RELU_VALUES), message
    assert not {"expected", "actual", "call"} & set(test), test


# -- correct solutions ------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "code"),
    [("conv2d", GOOD_CONV2D), ("relu", GOOD_RELU), ("output_size", GOOD_OUTPUT_SIZE)],
)
def test_it_gives_a_correct_solution_full_marks(request, grade, fixture, code):
    exercise = request.getfixturevalue(fixture)
    result = grade(exercise, code)
    assert result["verdict"] == "passed", result
    assert result["score"] == 1.0
    assert result["points"] == result["max_points"] > 0
    assert result["tests"] and all(t["passed"] and t["verdict"] == "passed" for t in result["tests"])
    assert result["exercise"] == exercise.slug


# -- wrong answers ----------------------------------------------------------------


def test_it_reports_wrong_shape_with_both_shapes_on_visible_tests(grade, relu):
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0).ravel()\n")
    tests = by_name(result)
    assert tests["small matrix"]["verdict"] == "wrong_shape"
    assert "(2, 2)" in tests["small matrix"]["message"] and "(4,)" in tests["small matrix"]["message"]
    assert tests["mixed signs"]["verdict"] == "passed"  # already 1-D: ravel changes nothing
    assert tests["hidden negatives"]["verdict"] == "wrong_shape"
    assert_hidden_message_is_generic(tests["hidden negatives"])


def test_it_names_index_expected_and_actual_for_wrong_values_on_visible_tests(grade, relu):
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n")
    tests = by_name(result)
    one_d, two_d = tests["mixed signs"], tests["small matrix"]
    assert one_d["verdict"] == two_d["verdict"] == "wrong_values"
    # [-2, -0.5, 0, 1.5, 3] -> abs gives 2.0 where 0.0 was expected, first at index 0.
    assert "index 0" in one_d["message"]
    assert "expected 0.0" in one_d["message"] and "got 2.0" in one_d["message"]
    # [[1, -1], [-3, 4]] -> first difference at (0, 1): expected 0.0, got 1.0.
    assert "(0, 1)" in two_d["message"]
    assert "expected 0.0" in two_d["message"] and "got 1.0" in two_d["message"]


def test_it_attaches_expected_and_actual_arrays_to_visible_tests(grade, relu):
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n")
    test = by_name(result)["small matrix"]
    assert test["expected"] == [[1.0, 0.0], [0.0, 4.0]]
    assert test["actual"] == [[1.0, 1.0], [3.0, 4.0]]


def test_it_shows_only_the_kind_of_failure_on_hidden_tests(grade, relu):
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n")
    hidden = by_name(result)["hidden negatives"]
    assert hidden["verdict"] == "wrong_values"
    assert_hidden_message_is_generic(hidden)
    assert hidden["hint"] == "Negative values become zero."  # the author's hint is not data


def test_it_reports_wrong_values_for_an_int_answer_with_both_numbers(grade, output_size):
    code = "def output_size(n, kernel_size, stride=1, padding='valid'):\n    return (n - kernel_size) // stride + 2\n"
    tests = by_name(grade(output_size, code))
    assert tests["valid 3 on 7"]["verdict"] == "wrong_values"
    assert "5" in tests["valid 3 on 7"]["message"] and "6" in tests["valid 3 on 7"]["message"]
    assert tests["int padding"]["verdict"] == "wrong_values"
    assert not re.search(r"\d", tests["int padding"]["message"])


def test_it_attaches_expected_and_actual_together_for_an_int_answer(grade, output_size):
    """A visible test shows both sides or neither: never an expected value without the student's."""
    code = "def output_size(n, kernel_size, stride=1, padding='valid'):\n    return (n - kernel_size) // stride + 2\n"
    test = by_name(grade(output_size, code))["valid 3 on 7"]
    assert ("expected" in test) == ("actual" in test), test
    if "expected" in test:
        assert (test["expected"], test["actual"]) == (5, 6)


@pytest.mark.parametrize("dtype", ["np.int64", "np.float32"])
def test_it_rejects_a_numeric_array_of_the_wrong_dtype(grade, relu, dtype):
    result = grade(relu, f"import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0).astype({dtype})\n")
    tests = by_name(result)
    assert {t["verdict"] for t in result["tests"]} == {"wrong_dtype"}
    assert dtype.removeprefix("np.") in tests["mixed signs"]["message"]
    assert "float64" in tests["mixed signs"]["message"]


def test_it_rejects_an_object_array_as_wrong_dtype(grade, relu):
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0).astype(object)\n")
    assert {t["verdict"] for t in result["tests"]} == {"wrong_dtype"}
    assert "object" in by_name(result)["mixed signs"]["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [("return np.maximum(x, 0.0).tolist()", "list"), ("return None", "NoneType"), ("pass", "NoneType")],
)
def test_it_rejects_something_that_is_not_an_array_as_wrong_type(grade, relu, body, named):
    result = grade(relu, f"import numpy as np\n\ndef relu(x):\n    {body}\n")
    assert {t["verdict"] for t in result["tests"]} == {"wrong_type"}
    assert named in by_name(result)["mixed signs"]["message"]


@pytest.mark.parametrize("returned", ["x", "x[...]", "x.view()", "x.reshape(x.shape)", "np.asarray(x)"])
def test_it_rejects_returning_the_input_or_a_view_of_it(grade, relu, returned):
    result = grade(relu, f"import numpy as np\n\ndef relu(x):\n    return {returned}\n")
    assert {t["verdict"] for t in result["tests"]} == {"wrong_type"}
    assert "input" in by_name(result)["mixed signs"]["message"]


def test_it_rejects_a_float_or_a_bool_where_an_int_is_expected(grade, output_size):
    signature = "def output_size(n, kernel_size, stride=1, padding='valid'):\n"
    as_float = signature + "    return float(max((n - kernel_size) // stride + 1, 0))\n"
    as_bool = signature + "    return True\n"
    for code, named in ((as_float, "float"), (as_bool, "bool")):
        result = grade(output_size, code)
        assert {t["verdict"] for t in result["tests"]} == {"wrong_type"}, result
        assert named in by_name(result)["valid 3 on 7"]["message"]


def test_it_accepts_a_numpy_integer_where_an_int_is_expected(grade, output_size):
    code = (
        "import numpy as np\n\n"
        + GOOD_OUTPUT_SIZE.replace("def output_size", "def _size")
        + ("\n\ndef output_size(*args, **kwargs):\n    return np.int64(_size(*args, **kwargs))\n")
    )
    assert grade(output_size, code)["score"] == 1.0


def test_it_flags_an_input_edited_in_place(grade, relu):
    code = "import numpy as np\n\ndef relu(x):\n    x[x < 0] = 0.0\n    return x.copy()\n"
    result = grade(relu, code)
    tests = by_name(result)
    assert tests["mixed signs"]["verdict"] == "input_modified"
    assert "input" in tests["mixed signs"]["message"]
    assert tests["hidden negatives"]["verdict"] == "input_modified"
    assert tests["single value 2d"]["verdict"] == "passed"  # [[3.25]] has nothing to change


def test_it_gives_an_answer_with_nan_and_inf_a_verdict_and_strict_json(grade, relu):
    code = relu_with("pass").replace(
        "    return np.maximum(x, 0.0)",
        "    y = np.maximum(x, 0.0)\n    y.flat[0] = np.nan\n    y.flat[-1] = np.inf\n    return y",
    )
    result = grade(relu, code)
    test = by_name(result)["mixed signs"]
    assert test["verdict"] == "wrong_values"
    assert test["actual"][0] is None and test["actual"][-1] is None  # non-finite cells have no JSON number
    json.dumps(result, allow_nan=False)


def test_it_gives_an_int_too_large_to_print_a_verdict_not_a_crash(grade, output_size):
    """Python refuses to turn an int of more than 4300 digits into text; the grader must not crash on it."""
    result = grade(output_size, "def output_size(n, kernel_size, stride=1, padding='valid'):\n    return 10**5000\n")
    assert {t["verdict"] for t in result["tests"]} <= {"wrong_values", "wrong_type"}, result["tests"]
    assert "[sandbox]" not in result["stdout"] and "/opt/stride" not in result["stdout"]


# -- exceptions -------------------------------------------------------------------


def test_it_trims_an_exception_traceback_to_the_students_own_lines(grade, relu):
    code = "import numpy as np\n\n\ndef helper(x):\n    return np.reshape(x, (7, 7))\n\n\n"
    code += "def relu(x):\n    return helper(x)\n"
    result = grade(relu, code)
    test = by_name(result)["mixed signs"]
    assert test["verdict"] == "exception"
    message = test["message"]
    assert message.startswith("ValueError: ")
    assert "line 9, in relu" in message and "line 5, in helper" in message
    assert "return helper(x)" in message  # the student's own source line is quoted
    assert not any(path in message for path in GRADER_PATHS), message
    assert "numpy" not in message.replace("np.reshape", "")  # no frames from inside NumPy


def test_it_shows_only_the_kind_of_an_exception_on_hidden_tests(grade, relu):
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    raise ValueError(repr(x))\n")
    hidden = by_name(result)["hidden negatives"]
    assert hidden["verdict"] == "exception"
    assert_hidden_message_is_generic(hidden)
    assert "ValueError" not in hidden["message"]


# -- the job dies inside one test: that test gets the verdict, the others are graded --


def test_it_times_out_a_test_that_loops_forever_and_grades_the_others(grade, relu):
    started = time.monotonic()
    result = grade(relu, relu_with("while x.shape == (1,):\n    pass"))
    assert time.monotonic() - started < relu.time_limit_s + 4
    assert by_name(result)["single value"]["verdict"] == "timeout"
    assert_others_passed(result, "single value")
    assert result["verdict"] == "failed"


def test_it_times_out_a_test_that_sleeps(grade, relu):
    result = grade(relu, relu_with("if x.shape == (1,):\n    time.sleep(60)"))
    assert by_name(result)["single value"]["verdict"] == "timeout"
    assert_others_passed(result, "single value")


def test_it_times_out_one_conv2d_test_and_grades_the_rest(grade, conv2d):
    hang = "def conv2d(image, kernel, stride=1, padding='valid'):\n"
    hang += "    while image.shape == (5, 6) and kernel.shape == (1, 1):\n        pass\n"
    hang += "    return _conv2d(image, kernel, stride, padding)\n"
    code = GOOD_CONV2D.replace("def conv2d(", "def _conv2d(") + "\n\n" + hang
    result = grade(conv2d, code)
    assert by_name(result)["1x1 kernel with stride"]["verdict"] == "timeout"
    assert_others_passed(result, "1x1 kernel with stride")


def test_it_grades_every_other_test_when_several_tests_hang(grade, relu):
    """Three tests loop forever; the tests after them must still be graded, not skipped."""
    hanging = ("single value", "single value 2d", "single value 3d")
    result = grade(relu, relu_with("while x.size == 1:\n    pass"))
    tests = by_name(result)
    assert [tests[name]["verdict"] for name in hanging] == ["timeout"] * 3
    assert tests["3d tensor"]["verdict"] == "passed", tests["3d tensor"]
    assert tests["random matrix"]["verdict"] == "passed", tests["random matrix"]


def test_it_applies_the_time_limit_to_each_test_not_to_their_sum(grade, relu):
    """Each call burns 0.2 s of CPU, far under the 1 s limit, but the 7 calls together take 1.4 s."""
    assert relu.time_limit_s == 1.0
    busy = "start = time.process_time()\nwhile time.process_time() - start < 0.2:\n    pass"
    result = grade(relu, relu_with(busy))
    assert [t["verdict"] for t in result["tests"]] == ["passed"] * len(result["tests"])


def test_it_reports_a_memory_limit_and_grades_the_others(grade, relu):
    result = grade(relu, relu_with("if x.shape == (1,):\n    keep = [np.ones(5 << 20) for _ in range(200)]"))
    assert by_name(result)["single value"]["verdict"] == "memory_limit"
    assert_others_passed(result, "single value")


def test_it_reports_os_exit_inside_the_function_as_crashed(grade, relu):
    result = grade(relu, relu_with("if x.shape == (2, 2):\n    os._exit(3)"))
    test = by_name(result)["small matrix"]
    assert test["verdict"] == "crashed"
    assert re.search(r"\b3\b", test["message"]), test["message"]  # the exit status
    assert_others_passed(result, "small matrix")


def test_it_reports_a_segfault_inside_the_function_as_crashed(grade, relu):
    result = grade(relu, relu_with("if x.shape == (2, 2):\n    import ctypes\n    ctypes.string_at(0)"))
    test = by_name(result)["small matrix"]
    assert test["verdict"] == "crashed"
    assert "signal 11" in test["message"]
    assert_others_passed(result, "small matrix")


def test_it_stops_a_test_that_prints_too_much(grade, relu):
    result = grade(relu, relu_with("if x.shape == (2, 2):\n    print('y' * 3_000_000)"))
    test = by_name(result)["small matrix"]
    assert test["verdict"] == "output_limit"
    assert "print" in test["message"]
    assert_others_passed(result, "small matrix")
    assert 0 < len(result["stdout"]) <= 8192


# -- whole-submission verdicts ----------------------------------------------------


def test_it_reports_a_syntax_error_with_line_and_column(grade, relu):
    result = grade(relu, "import numpy as np\n\n\ndef relu(x):\n    return x +* 2\n")
    assert result["verdict"] == "syntax_error"
    assert "line 5" in result["message"] and "column 15" in result["message"]
    assert result["score"] == 0.0 and result["tests"] == []


def test_it_reports_an_exception_at_import_as_import_error(grade, relu):
    result = grade(relu, "import numpy as np\n\nLIMIT = 1 / 0\n\n\ndef relu(x):\n    return x\n")
    assert result["verdict"] == "import_error"
    assert "ZeroDivisionError" in result["message"] and "line 3" in result["message"]
    assert not any(path in result["message"] for path in GRADER_PATHS)
    assert result["score"] == 0.0


def test_it_says_so_when_the_module_calls_sys_exit_at_import(grade, relu):
    result = grade(relu, "import sys\n\nsys.exit(0)\n\n\ndef relu(x):\n    return x\n")
    assert result["verdict"] == "import_error"
    assert "sys.exit" in result["message"]


def test_it_names_the_missing_function(grade, relu, output_size):
    result = grade(relu, "import numpy as np\n\n\ndef ReLU(x):\n    return np.maximum(x, 0.0)\n")
    assert result["verdict"] == "missing_function"
    assert "relu" in result["message"]
    result = grade(output_size, "output_size = 3\n")
    assert result["verdict"] == "missing_function"
    assert "output_size" in result["message"]


def test_it_times_out_an_infinite_loop_at_import_within_a_few_seconds(grade, relu):
    started = time.monotonic()
    result = grade(relu, "while True:\n    pass\n")
    assert time.monotonic() - started < relu.time_limit_s + 4
    assert result["verdict"] == "timeout"
    assert "import" in result["message"]
    assert result["score"] == 0.0


# -- seeds ------------------------------------------------------------------------


def _random_args(exercise, seed):
    return [c.args for c in exercise.build_cases(seed) if c.randomized]


def test_it_draws_the_same_random_cases_from_the_same_seed(conv2d):
    first, second = _random_args(conv2d, 123), _random_args(conv2d, 123)
    assert first and len(first) == len(second)
    for a, b in zip(first, second, strict=True):
        assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_it_draws_different_random_cases_from_different_seeds(conv2d):
    first, second = _random_args(conv2d, 1), _random_args(conv2d, 2)
    assert not np.array_equal(first[0][0], second[0][0])  # the first random case's image


def test_it_keeps_visible_and_hidden_cases_the_same_under_every_seed(conv2d):
    def fixed(seed):
        return [(c.name, c.args, c.kwargs) for c in conv2d.build_cases(seed) if not c.randomized]

    for (name_a, args_a, kwargs_a), (name_b, args_b, kwargs_b) in zip(fixed(1), fixed(999), strict=True):
        assert name_a == name_b and kwargs_a == kwargs_b
        assert all(np.array_equal(a, b) for a, b in zip(args_a, args_b, strict=True))


ODD_ROWS_WRONG = (
    "import numpy as np\n\ndef relu(x):\n    y = np.maximum(x, 0.0)\n    return y if x.shape[0] % 2 == 0 else -y\n"
)


def test_it_grades_the_same_seed_the_same_way(grade, relu):
    first, second = grade(relu, ODD_ROWS_WRONG, seed=77), grade(relu, ODD_ROWS_WRONG, seed=77)
    assert first["seed"] == second["seed"] == 77
    assert first["tests"] == second["tests"]
    assert first["score"] == second["score"]


def test_it_grades_randomized_tests_differently_under_different_seeds(grade, relu):
    verdicts = {by_name(grade(relu, ODD_ROWS_WRONG, seed=seed))["random matrix"]["verdict"] for seed in range(12)}
    assert verdicts == {"passed", "wrong_values"}


def test_it_draws_a_fresh_seed_when_none_is_given(grade, relu):
    seeds = {grade(relu, GOOD_RELU, seed=None)["seed"] for _ in range(3)}
    assert len(seeds) == 3


# -- points, stdout, JSON ---------------------------------------------------------


def test_it_scores_the_points_of_the_passed_tests_over_all_points(grade, relu):
    # Fails exactly the tests holding a negative value: the visible ones, "hidden negatives" (3 points),
    # "single value", "single value 3d", "3d tensor" (0.5 points) and most likely "random matrix".
    result = grade(relu, "import numpy as np\n\ndef relu(x):\n    return np.abs(x).astype(np.float64)\n")
    tests = result["tests"]
    assert result["max_points"] == sum(t["max_points"] for t in tests) == 9.5
    assert result["points"] == sum(t["max_points"] for t in tests if t["passed"])
    assert all(t["points"] == (t["max_points"] if t["passed"] else 0.0) for t in tests)
    assert 0 < result["points"] < result["max_points"]
    assert result["score"] == pytest.approx(result["points"] / result["max_points"], abs=1e-6)
    assert result["verdict"] == "failed"
    assert by_name(result)["hidden negatives"]["max_points"] == 3.0


def test_it_captures_what_the_function_prints(grade, relu):
    result = grade(relu, relu_with("print('looking at', x.ndim, 'dims')"))
    assert result["score"] == 1.0
    assert "looking at 1 dims" in result["stdout"]


def test_it_caps_the_captured_output(grade, relu):
    result = grade(relu, relu_with("print('z' * 5000)"))
    assert result["score"] == 1.0
    assert 5000 < len(result["stdout"]) <= 8192  # the first print whole, then cut
    assert set(result["stdout"]) <= {"z", "\n"}


@pytest.mark.parametrize(
    "code",
    [
        GOOD_RELU,
        "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n",
        "import numpy as np\n\ndef relu(x):\n    return x.tolist()\n",
        "def relu(x):\n    return (x\n",
        "import numpy as np\n\ndef relu(x):\n    print('\\x00\\udcff', x)\n    raise ValueError('\\x00')\n",
    ],
)
def test_it_returns_a_result_that_is_strict_json(grade, relu, code):
    result = grade(relu, code)
    text = json.dumps(result, allow_nan=False)
    assert json.loads(text) == result
    assert set(result) >= {"exercise", "verdict", "score", "points", "max_points", "tests", "stdout", "duration_ms"}
