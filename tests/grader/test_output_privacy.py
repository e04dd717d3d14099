"""What a submission prints reaches the student only from its import and its visible tests."""

from __future__ import annotations

from tests.grader.conftest import HIDDEN_RELU_VALUES

PRINTING_RELU = """\
import numpy as np
print("IMPORTED")


def relu(x):
    print("CALL", repr(np.asarray(x).tolist()))
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
"""


def test_it_keeps_the_output_of_the_import_and_of_visible_tests(relu, grade) -> None:
    result = grade(relu, PRINTING_RELU)
    assert result["score"] == 1.0
    visible = sum(t["visible"] for t in result["tests"])
    assert result["stdout"].count("IMPORTED") == 1
    assert result["stdout"].count("CALL") == visible


def test_it_drops_what_hidden_tests_print(relu, grade) -> None:
    result = grade(relu, PRINTING_RELU)
    assert any(not t["visible"] for t in result["tests"])
    shown = result["stdout"]
    # Some hidden values (1.5, 5.5) also occur in visible data; the others must not show.
    for value in HIDDEN_RELU_VALUES:
        if value not in ("1.5", "5.5"):
            assert value not in shown


def test_it_discards_a_flood_printed_during_hidden_tests(relu, grade) -> None:
    # 300 kB per call: the two visible calls stay under the 1 MiB output limit, all seven
    # calls would not. The job's stdout is /dev/null by the hidden tests, so it passes.
    flooding = PRINTING_RELU.replace('print("CALL", repr(np.asarray(x).tolist()))', 'print("x" * 300_000)')
    result = grade(relu, flooding)
    assert sum(t["visible"] for t in result["tests"]) == 2
    assert result["verdict"] == "passed", result


def test_it_sends_hidden_inputs_only_after_the_output_is_closed(relu, grade) -> None:
    # A copy of stdout made at import time is closed before the hidden tests arrive.
    sneaky = """\
import os
import numpy as np
saved = os.dup(1)


def relu(x):
    try:
        os.write(saved, ("LEAK " + repr(np.asarray(x).tolist()) + "\\n").encode())
    except OSError:
        pass
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
"""
    result = grade(relu, sneaky)
    assert result["score"] == 1.0
    assert "7.125" not in result["stdout"] and "9.375" not in result["stdout"]
    assert result["stdout"].count("LEAK") == sum(t["visible"] for t in result["tests"])
