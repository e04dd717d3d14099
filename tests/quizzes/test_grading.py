"""grade_answer: every question type, tolerances at their boundary, and malformed answers.

No database: the function takes plain values, as the lessons' check steps call it too.
"""

from __future__ import annotations

import math

import pytest

from stride.quizzes.grading import grade_answer, normalize_text

OPTIONS = ["a kernel", "a feature map", "a stride", "a pool"]


# -- single choice -----------------------------------------------------------------------------


def test_it_accepts_the_right_single_choice() -> None:
    outcome = grade_answer("single", "a kernel", "a kernel", options=OPTIONS)
    assert outcome.correct and not outcome.malformed


def test_it_refuses_another_single_choice_and_names_it() -> None:
    outcome = grade_answer("single", "a kernel", "a stride", options=OPTIONS)
    assert not outcome.correct and not outcome.malformed
    assert "a stride" in outcome.message
    assert "a kernel" not in outcome.message  # the message never gives the answer away


def test_it_compares_single_choices_exactly() -> None:
    assert not grade_answer("single", "a kernel", "A kernel", options=["a kernel", "A kernel"]).correct


@pytest.mark.parametrize(
    ("given", "says"),
    [
        (0, "got a number"),
        (None, "got null"),
        (["a kernel"], "got a list"),
        ({"choice": "a kernel"}, "got an object"),
        (True, "got a boolean"),
        ("a filter", "is not one of the options"),
    ],
)
def test_it_reports_a_malformed_single_choice(given, says: str) -> None:
    outcome = grade_answer("single", "a kernel", given, options=OPTIONS)
    assert outcome.malformed and not outcome.correct
    assert says in outcome.message


# -- multiple choice ---------------------------------------------------------------------------


def test_it_accepts_exactly_the_right_choices_in_any_order() -> None:
    expected = ["a kernel", "a stride", "a pool"]
    outcome = grade_answer("multiple", expected, ["a pool", "a kernel", "a stride"], options=OPTIONS)
    assert outcome.correct
    assert "all 3" in outcome.message


def test_it_ignores_a_choice_repeated() -> None:
    expected = ["a kernel", "a stride"]
    assert grade_answer("multiple", expected, ["a stride", "a kernel", "a stride"], options=OPTIONS).correct


def test_it_gives_no_partial_credit_and_counts_missing_choices() -> None:
    outcome = grade_answer("multiple", ["a kernel", "a stride", "a pool"], ["a kernel", "a pool"], options=OPTIONS)
    assert not outcome.correct and not outcome.malformed
    assert outcome.message == "2 of 3 correct choices, none wrong"


def test_it_counts_wrong_choices_even_with_all_correct_ones() -> None:
    expected = ["a kernel", "a stride", "a pool"]
    outcome = grade_answer("multiple", expected, [*expected, "a feature map"], options=OPTIONS)
    assert not outcome.correct
    assert outcome.message == "3 of 3 correct choices, 1 wrong"


def test_it_treats_an_empty_selection_as_wrong_not_malformed() -> None:
    outcome = grade_answer("multiple", ["a kernel"], [], options=OPTIONS)
    assert not outcome.correct and not outcome.malformed
    assert outcome.message == "0 of 1 correct choices, none wrong"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("a kernel", "got a string"),
        ({"a kernel": True}, "got an object"),
        (["a kernel", 2], "choice 2 should be an option as a string, got a number"),
        (["a kernel", "a filter"], "“a filter” is not one of the options"),
        ([["a kernel"]], "got a list"),
    ],
)
def test_it_reports_a_malformed_multiple_choice(given, says: str) -> None:
    outcome = grade_answer("multiple", ["a kernel"], given, options=OPTIONS)
    assert outcome.malformed and not outcome.correct
    assert says in outcome.message


# -- true / false ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "given", "correct"),
    [(True, True, True), (False, False, True), (True, False, False), (False, True, False)],
)
def test_it_grades_true_false(expected: bool, given: bool, correct: bool) -> None:
    outcome = grade_answer("true_false", expected, given)
    assert outcome.correct is correct and not outcome.malformed


def test_it_reads_true_and_false_written_as_text() -> None:
    assert grade_answer("true_false", True, " True ").correct
    assert grade_answer("true_false", False, "false").correct
    assert not grade_answer("true_false", False, "TRUE").correct


@pytest.mark.parametrize("given", [1, 0, "yes", None, [], "t"])
def test_it_reports_a_true_false_answer_that_is_neither(given) -> None:
    outcome = grade_answer("true_false", True, given)
    assert outcome.malformed and not outcome.correct
    assert "expected true or false" in outcome.message


# -- numeric -----------------------------------------------------------------------------------


def test_it_grades_an_exact_number() -> None:
    assert grade_answer("numeric", 896, 896).correct
    assert grade_answer("numeric", 896, 896.0).correct
    outcome = grade_answer("numeric", 896, 895)
    assert not outcome.correct and not outcome.malformed
    assert outcome.message == "895 is not the answer"


def test_it_forgives_binary_rounding_with_no_tolerance() -> None:
    assert grade_answer("numeric", 0.3, 0.1 + 0.2).correct


def test_it_includes_the_tolerance_boundary_and_refuses_just_beyond() -> None:
    assert grade_answer("numeric", 4.25, 4.251, tolerance=0.001).correct
    assert grade_answer("numeric", 4.25, 4.249, tolerance=0.001).correct
    assert not grade_answer("numeric", 4.25, 4.2511, tolerance=0.001).correct
    assert not grade_answer("numeric", 4.25, 4.2489, tolerance=0.001).correct
    outcome = grade_answer("numeric", 4.25, 4.3, tolerance=0.001)
    assert outcome.message == "4.3 is not within 0.001 of the answer"


def test_it_reads_numbers_written_as_text() -> None:
    assert grade_answer("numeric", 16, "16").correct
    assert grade_answer("numeric", 16, " 1.6e1 ").correct
    assert grade_answer("numeric", -0.5, "-.5").correct


@pytest.mark.parametrize(
    ("given", "says"),
    [
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        ("nan", "is not a number"),
        ("Infinity", "is not a number"),
        ("1_000", "is not a number"),
        ("16 px", "is not a number"),
        ("", "is not a number"),
        (True, "got a boolean"),
        (None, "got null"),
        ([16], "got a list"),
        (10**400, "too large"),
    ],
)
def test_it_reports_a_malformed_number(given, says: str) -> None:
    outcome = grade_answer("numeric", 16, given)
    assert outcome.malformed and not outcome.correct
    assert says in outcome.message


# -- short text --------------------------------------------------------------------------------


ACCEPTED = ["feature map", "activation map"]


@pytest.mark.parametrize(
    "given", ["feature map", "Feature Map", "  feature   map ", "ACTIVATION\tmap", "ｆｅａｔｕｒｅ map"]
)
def test_it_accepts_text_after_trimming_collapsing_and_casefolding(given: str) -> None:
    assert grade_answer("text", ACCEPTED, given).correct


def test_it_refuses_other_text_and_quotes_it() -> None:
    outcome = grade_answer("text", ACCEPTED, "  kernel ")
    assert not outcome.correct and not outcome.malformed
    assert outcome.message == "“kernel” is not an accepted answer"


def test_it_does_not_accept_part_of_an_answer() -> None:
    assert not grade_answer("text", ACCEPTED, "feature").correct
    assert not grade_answer("text", ACCEPTED, "feature maps").correct


def test_it_treats_blank_text_as_wrong() -> None:
    outcome = grade_answer("text", ACCEPTED, "   ")
    assert not outcome.correct and not outcome.malformed
    assert outcome.message == "the answer is empty"


@pytest.mark.parametrize(
    ("given", "says"),
    [
        (3, "got a number"),
        (["feature map"], "got a list"),
        ("x" * 1001, "1001 characters"),
        # An attempt stores the answer; PostgreSQL cannot store either of these in jsonb.
        ("feature\0map", "NUL character"),
        ("feature map\ud800", "unpaired surrogate"),
    ],
)
def test_it_reports_malformed_text(given, says: str) -> None:
    outcome = grade_answer("text", ACCEPTED, given)
    assert outcome.malformed and says in outcome.message


def test_it_normalizes_the_way_it_says() -> None:
    assert normalize_text("  Max\n  Pooling ") == "max pooling"
    assert normalize_text("STRASSE") == normalize_text("straße")


# -- matrix ------------------------------------------------------------------------------------


POOLED = [[6.0, 2.0], [2.0, 8.0]]


def test_it_accepts_the_right_grid() -> None:
    assert grade_answer("matrix", POOLED, [[6, 2], [2, 8]]).correct
    assert grade_answer("matrix", POOLED, [["6", "2.0"], [2, 8]]).correct


def test_it_names_the_wrong_shape() -> None:
    outcome = grade_answer("matrix", POOLED, [[6, 2], [2, 8], [0, 0]])
    assert not outcome.correct and not outcome.malformed
    assert outcome.message == "expected a 2x2 grid, got 3x2"
    assert grade_answer("matrix", POOLED, [[6, 2, 0], [2, 8, 0]]).message == "expected a 2x2 grid, got 2x3"


def test_it_names_the_wrong_cells() -> None:
    outcome = grade_answer("matrix", POOLED, [[6, 3], [2, 8]])
    assert not outcome.correct
    assert outcome.message == "1 cell is wrong of 4: row 1 column 2"


def test_it_lists_a_few_wrong_cells_and_counts_the_rest() -> None:
    expected = [[0.0] * 3 for _ in range(3)]
    outcome = grade_answer("matrix", expected, [[1] * 3 for _ in range(3)])
    assert outcome.message == "9 cells are wrong of 9: row 1 column 1, row 1 column 2, row 1 column 3 and 6 more"


def test_it_applies_the_tolerance_to_every_cell_inclusively() -> None:
    expected = [[4.25, 4.5], [2.0, 6.0]]
    assert grade_answer("matrix", expected, [[4.251, 4.499], [2.001, 5.999]], tolerance=0.001).correct
    outcome = grade_answer("matrix", expected, [[4.25, 4.5], [2.0, 6.0011]], tolerance=0.001)
    assert not outcome.correct
    assert "row 2 column 2" in outcome.message


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ("6 2 2 8", "expected a grid (a list of rows), got a string"),
        ([], "the grid has no rows"),
        ([6, 2, 2, 8], "row 1 should be a list of numbers, got a number"),
        ([[6, 2], []], "row 2 is empty"),
        ([[6, 2], [2]], "row 2 has 1 cells but row 1 has 2"),
        ([[6, None], [2, 8]], "row 1 column 2 is not a finite number (null)"),
        ([[6, 2], [2, math.nan]], "row 2 column 2 is not a finite number (a number)"),
        ([[6, 2], [True, 8]], "row 2 column 1 is not a finite number (a boolean)"),
        ({"rows": [[6, 2]]}, "expected a grid (a list of rows), got an object"),
    ],
)
def test_it_reports_a_malformed_grid(given, says: str) -> None:
    outcome = grade_answer("matrix", POOLED, given)
    assert outcome.malformed and not outcome.correct
    assert outcome.message == says


# -- anything else -----------------------------------------------------------------------------


def test_it_raises_for_an_unknown_question_type() -> None:
    with pytest.raises(ValueError, match="unknown question type 'essay'"):
        grade_answer("essay", "x", "x")


@pytest.mark.parametrize("kind", ["single", "multiple", "true_false", "numeric", "text", "matrix"])
@pytest.mark.parametrize("given", [None, {}, [], [[]], "", 0, -1.5, True, {"a": [1]}, [None], "\0", "x" * 5000])
def test_it_never_raises_whatever_a_student_sends(kind: str, given) -> None:
    expected = {"single": "a kernel", "multiple": ["a kernel"], "true_false": False, "numeric": 3, "text": ["x"],
                "matrix": [[1.0]]}[kind]  # fmt: skip
    outcome = grade_answer(kind, expected, given, options=OPTIONS)
    assert isinstance(outcome.message, str) and outcome.message
    assert not outcome.correct
