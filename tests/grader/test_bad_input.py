"""Malformed and misbehaving submissions: each gets a clear verdict within the time limit,
and the next grading of a good solution on the same sandbox is unaffected.

These use the real conv2d package and its real limits (2 s).
"""

from __future__ import annotations

import time

import pytest

from tests.grader.conftest import GOOD_CONV2D, by_name

DEADLINE_S = 6.0  # conv2d allows 2 s per run; every verdict below must come well within this


def grade_timed(grade, exercise, code) -> tuple[dict, float]:
    started = time.monotonic()
    result = grade(exercise, code)
    return result, time.monotonic() - started


def assert_next_grading_is_unaffected(grade, conv2d) -> None:
    result = grade(conv2d, GOOD_CONV2D)
    assert result["verdict"] == "passed" and result["score"] == 1.0, result


# (id, submission, whole-submission verdict, fragments the message must contain)
WHOLE_SUBMISSION_CASES = [
    ("empty", "", "empty", ["empty"]),
    ("whitespace only", "  \n\n\t \n   ", "empty", ["empty"]),
    ("1 MB of code", "x = 1\n" * 175_000, "too_large", ["bytes"]),
    ("non-UTF-8 bytes", b"import numpy as np\n# caf\xe9 au lait\n", "encoding_error", ["UTF-8", "line 2"]),
    ("unpaired surrogate", "import numpy as np\n# \udcff\n", "encoding_error", []),
    ("NUL byte", b"import numpy as np\nx = 1\nab\x00cd = 2\n", "syntax_error", ["line 3", "column 3"]),
    ("unclosed bracket", "import numpy as np\n\nvalues = [1, 2,\n", "syntax_error", ["line 3"]),
    (
        "bad operator",
        "import numpy as np\n\n\ndef conv2d(image, kernel, stride=1, padding='valid'):\n    return image +* 2\n",
        "syntax_error",
        ["line 5", "column 19"],
    ),
    ("bad indentation", "def conv2d(image, kernel):\nreturn image\n", "syntax_error", ["line 2"]),
    ("infinite loop at import", "while True:\n    pass\n", "timeout", ["import"]),
    ("sleep at import", "import time\n\ntime.sleep(600)\n", "timeout", ["import"]),
    ("sys.exit at import", "import sys\n\nsys.exit(1)\n", "import_error", ["sys.exit"]),
    ("sys.exit(0) at import", "import sys\n\nsys.exit(0)\n", "import_error", ["sys.exit"]),
    ("raise SystemExit at import", "raise SystemExit\n", "import_error", ["sys.exit"]),
    ("KeyboardInterrupt at import", "raise KeyboardInterrupt\n", "import_error", ["KeyboardInterrupt", "line 1"]),
    ("ImportError at import", "import scipy\n", "import_error", ["scipy", "line 1"]),
    ("os._exit at import", "import os\n\nos._exit(0)\n", "crashed", ["import"]),
    ("no function at all", "import numpy as np\n\nX = 1\n", "missing_function", ["conv2d"]),
]


@pytest.mark.parametrize(
    ("code", "verdict", "fragments"),
    [pytest.param(code, verdict, fragments, id=name) for name, code, verdict, fragments in WHOLE_SUBMISSION_CASES],
)
def test_it_gives_bad_input_a_clear_verdict_in_time_and_recovers(grade, conv2d, code, verdict, fragments):
    result, elapsed = grade_timed(grade, conv2d, code)
    assert elapsed < DEADLINE_S
    assert result["verdict"] == verdict, result
    for fragment in fragments:
        assert fragment in result["message"], result["message"]
    assert result["score"] == 0.0 and result["points"] == 0.0
    assert result["tests"] == []
    assert result["max_points"] > 0  # still says what the exercise was worth
    assert_next_grading_is_unaffected(grade, conv2d)


def test_it_turns_raise_system_exit_inside_the_function_into_an_exception_verdict(grade, conv2d):
    code = "def conv2d(image, kernel, stride=1, padding='valid'):\n    raise SystemExit(4)\n"
    result, elapsed = grade_timed(grade, conv2d, code)
    assert elapsed < DEADLINE_S
    assert result["verdict"] == "failed"
    verdicts = {t["verdict"] for t in result["tests"]}
    assert verdicts == {"exception"}  # every test ran: one SystemExit does not end the grading
    assert "SystemExit" in by_name(result)["3x3 kernel on a 4x4 image"]["message"]
    assert_next_grading_is_unaffected(grade, conv2d)


def test_it_turns_keyboard_interrupt_inside_the_function_into_an_exception_verdict(grade, conv2d):
    code = "def conv2d(image, kernel, stride=1, padding='valid'):\n    raise KeyboardInterrupt\n"
    result = grade(conv2d, code)
    assert {t["verdict"] for t in result["tests"]} == {"exception"}
    assert "KeyboardInterrupt" in by_name(result)["3x3 kernel on a 4x4 image"]["message"]
    assert_next_grading_is_unaffected(grade, conv2d)


def test_it_accepts_a_utf8_byte_order_mark(grade, conv2d):
    """Editors on Windows save UTF-8 with a BOM; Python itself runs such files."""
    result = grade(conv2d, b"\xef\xbb\xbf" + GOOD_CONV2D.encode())
    assert result["verdict"] == "passed", result["message"]


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_it_accepts_other_line_endings(grade, conv2d, newline):
    result = grade(conv2d, GOOD_CONV2D.replace("\n", newline).encode())
    assert result["verdict"] == "passed", result["message"]


def test_it_accepts_a_long_but_reasonable_file(grade, conv2d):
    padding = "# a comment line that students sometimes leave in, over and over again\n" * 500  # ~36 kB
    result = grade(conv2d, padding + GOOD_CONV2D)
    assert result["verdict"] == "passed", result["message"]


def test_it_names_the_line_of_a_non_utf8_byte_after_windows_line_endings(grade, conv2d):
    result = grade(conv2d, b"import numpy as np\r\n\r\n# na\xefve\r\n")
    assert result["verdict"] == "encoding_error"
    assert "line 3" in result["message"]
