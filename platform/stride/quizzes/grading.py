"""Grade one answer to one question: plain values in, an :class:`Outcome` out.

Nothing here touches the database, so quizzes and the lessons' check steps share it. The
expected answer comes from a course package that was checked when it was loaded; the
given answer comes from a student and may be anything JSON can hold, so every shape is
checked and a malformed answer is reported (``malformed=True``), never raised.

Choices made here:

- ``multiple`` is all-or-nothing: the selection must be exactly the set of correct options
  (order and repeats do not matter). The message still says how close it was.
- ``numeric`` and matrix cells accept a number or a string holding a plain decimal number
  (what an HTML input gives); booleans, NaN and infinities are refused.
- ``true_false`` accepts a boolean or the strings "true"/"false".
- Tolerances are absolute and inclusive: ``|given - expected| <= tolerance``, with a
  sliver of slack for binary floating point (so 0.1 + 0.2 counts as 0.3).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

TYPES = ("single", "multiple", "true_false", "numeric", "text", "matrix")
MAX_TEXT_LENGTH = 1000
# Relative slack on the tolerance: binary floats cannot hold most decimals exactly.
FLOAT_SLACK = 1e-9
DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
MAX_DECIMAL_LENGTH = 100
MAX_LISTED_CELLS = 3


@dataclass(frozen=True)
class Outcome:
    """The verdict on one answer. ``message`` is for the student and never reveals the answer."""

    correct: bool
    message: str
    malformed: bool = False


def _right(message: str = "correct") -> Outcome:
    return Outcome(True, message)


def _wrong(message: str) -> Outcome:
    return Outcome(False, message)


def _malformed(message: str) -> Outcome:
    return Outcome(False, message, malformed=True)


def kind_of(value: Any) -> str:
    """How a JSON value is called in messages: "a string", "a list", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _quote(text: str, limit: int = 60) -> str:
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def as_number(value: Any) -> float | None:
    """A finite float from a JSON number or a decimal string, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > MAX_DECIMAL_LENGTH or not DECIMAL.fullmatch(text):
            return None
        value = text
    elif not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except (OverflowError, ValueError):  # an integer beyond the float range
        return None
    return number if math.isfinite(number) else None


def within(given: float, expected: float, tolerance: float) -> bool:
    """``|given - expected| <= tolerance``, forgiving the rounding of binary floats."""
    slack = FLOAT_SLACK * max(1.0, abs(expected), abs(given))
    return abs(given - expected) <= tolerance + slack


def normalize_text(text: str) -> str:
    """Trimmed, inner whitespace collapsed to one space, compatibility-normalized and casefolded."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


# -- one function per type ---------------------------------------------------------------------


def _single(expected: str, given: Any, options: Sequence[str]) -> Outcome:
    if not isinstance(given, str):
        return _malformed(f"expected one of the options as a string, got {kind_of(given)}")
    if options and given not in options:
        return _malformed(f"{_quote(given)} is not one of the options")
    if given == expected:
        return _right()
    return _wrong(f"{_quote(given)} is not the right choice")


def _multiple(expected: Sequence[str], given: Any, options: Sequence[str]) -> Outcome:
    if not isinstance(given, list):
        return _malformed(f"expected a list of the options you choose, got {kind_of(given)}")
    for index, choice in enumerate(given):
        if not isinstance(choice, str):
            return _malformed(f"choice {index + 1} should be an option as a string, got {kind_of(choice)}")
        if options and choice not in options:
            return _malformed(f"{_quote(choice)} is not one of the options")
    chosen, right = set(given), set(expected)
    hits, misses = len(chosen & right), len(chosen - right)
    wrong = "1 wrong" if misses == 1 else f"{misses} wrong" if misses else "none wrong"
    if hits == len(right) and not misses:
        return _right(f"correct: all {len(right)} correct choices")
    return _wrong(f"{hits} of {len(right)} correct choices, {wrong}")


def _true_false(expected: bool, given: Any) -> Outcome:
    if isinstance(given, str) and given.strip().lower() in ("true", "false"):
        given = given.strip().lower() == "true"
    if not isinstance(given, bool):
        return _malformed(f"expected true or false, got {kind_of(given)}")
    if given == expected:
        return _right()
    return _wrong(f"{'true' if given else 'false'} is not right")


def _numeric(expected: float, given: Any, tolerance: float) -> Outcome:
    number = as_number(given)
    if number is None:
        what = kind_of(given)
        if isinstance(given, str):
            return _malformed(f"{_quote(given)} is not a number")
        if isinstance(given, float):
            return _malformed("expected a finite number, got NaN or an infinity")
        if isinstance(given, int) and not isinstance(given, bool):
            return _malformed("the number is too large")
        return _malformed(f"expected a number, got {what}")
    if within(number, float(expected), tolerance):
        return _right()
    if tolerance > 0:
        return _wrong(f"{_format_number(number)} is not within {_format_number(tolerance)} of the answer")
    return _wrong(f"{_format_number(number)} is not the answer")


def _text(expected: Sequence[str] | str, given: Any) -> Outcome:
    if isinstance(expected, str):  # a single accepted answer
        expected = [expected]
    if not isinstance(given, str):
        return _malformed(f"expected a short text, got {kind_of(given)}")
    if len(given) > MAX_TEXT_LENGTH:
        return _malformed(f"the answer is {len(given)} characters long; at most {MAX_TEXT_LENGTH} are read")
    # The attempt stores the answer as given, and PostgreSQL's jsonb refuses both of these.
    if "\0" in given:
        return _malformed("the answer contains a NUL character")
    if not given.isascii() and any("\ud800" <= char <= "\udfff" for char in given):
        return _malformed("the answer is not valid Unicode (an unpaired surrogate)")
    answer = normalize_text(given)
    if not answer:
        return _wrong("the answer is empty")
    if any(answer == normalize_text(accepted) for accepted in expected):
        return _right()
    return _wrong(f"{_quote(given.strip())} is not an accepted answer")


def grid_shape(grid: Sequence[Sequence[Any]]) -> tuple[int, int]:
    """(rows, columns) of a rectangular grid."""
    return len(grid), len(grid[0]) if grid else 0


def _read_grid(given: Any) -> tuple[list[list[float]] | None, str]:
    """The given grid as floats, or None and what is wrong with it."""
    if not isinstance(given, list):
        return None, f"expected a grid (a list of rows), got {kind_of(given)}"
    if not given:
        return None, "the grid has no rows"
    rows: list[list[float]] = []
    for r, row in enumerate(given, 1):
        if not isinstance(row, list):
            return None, f"row {r} should be a list of numbers, got {kind_of(row)}"
        if not row:
            return None, f"row {r} is empty"
        if len(row) != len(given[0]):
            return None, f"row {r} has {len(row)} cells but row 1 has {len(given[0])}"
        cells = []
        for c, cell in enumerate(row, 1):
            number = as_number(cell)
            if number is None:
                return None, f"row {r} column {c} is not a finite number ({kind_of(cell)})"
            cells.append(number)
        rows.append(cells)
    return rows, ""


def _matrix(expected: Sequence[Sequence[float]], given: Any, tolerance: float) -> Outcome:
    grid, problem = _read_grid(given)
    if grid is None:
        return _malformed(problem)
    want, got = grid_shape(expected), grid_shape(grid)
    if want != got:
        return _wrong(f"expected a {want[0]}x{want[1]} grid, got {got[0]}x{got[1]}")
    off = [
        (r, c)
        for r, (row, expected_row) in enumerate(zip(grid, expected, strict=True), 1)
        for c, (cell, expected_cell) in enumerate(zip(row, expected_row, strict=True), 1)
        if not within(cell, float(expected_cell), tolerance)
    ]
    if not off:
        return _right()
    where = ", ".join(f"row {r} column {c}" for r, c in off[:MAX_LISTED_CELLS])
    more = f" and {len(off) - MAX_LISTED_CELLS} more" if len(off) > MAX_LISTED_CELLS else ""
    cells = "1 cell is" if len(off) == 1 else f"{len(off)} cells are"
    return _wrong(f"{cells} wrong of {want[0] * want[1]}: {where}{more}")


def grade_answer(
    type: str,  # the question's field name, shadowing the builtin on purpose
    expected: Any,
    given: Any,
    *,
    options: Sequence[str] = (),
    tolerance: float = 0.0,
) -> Outcome:
    """Grade ``given`` against ``expected`` for a question of ``type``.

    ``expected`` is in the package's format (single: an option; multiple: a list of options;
    true_false: a bool; numeric: a number; text: the accepted answers; matrix: a grid).
    ``options`` lets choice answers that are not among them be reported as malformed.
    Raises ValueError only for an unknown ``type`` (a programming error, not a student's).
    """
    tolerance = max(float(tolerance or 0.0), 0.0)
    if type == "single":
        return _single(expected, given, options)
    if type == "multiple":
        return _multiple(expected, given, options)
    if type == "true_false":
        return _true_false(expected, given)
    if type == "numeric":
        return _numeric(expected, given, tolerance)
    if type == "text":
        return _text(expected, given)
    if type == "matrix":
        return _matrix(expected, given, tolerance)
    raise ValueError(f"unknown question type {type!r} (one of {', '.join(TYPES)})")
