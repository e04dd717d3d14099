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


def test_it_still_stops_a_flood_printed_during_hidden_tests(relu, grade) -> None:
    flooding = PRINTING_RELU.replace('print("CALL", repr(np.asarray(x).tolist()))', 'print("x" * 4_000_000)')
    result = grade(relu, flooding)
    assert result["score"] < 1.0
    assert {t["verdict"] for t in result["tests"] if not t["passed"]} == {"output_limit"}
