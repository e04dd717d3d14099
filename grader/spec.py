"""The small vocabulary instructors use in an exercise's ``tests.py``.

A test file defines up to three functions, each returning a list of cases::

    def visible_cases(): ...  # fixed data, shown in full to students
    def hidden_cases(): ...  # fixed edge cases, only the failure kind is shown
    def random_cases(rng): ...  # drawn from a per-submission seed, hidden

Each case is built with :func:`case`. Positional and keyword arguments after the
name are passed to the student's function; the keywords below are reserved.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# A checker receives the student's output (already converted to a NumPy array or a
# Python int) and returns None when it is acceptable, or a message saying what is wrong.
Checker = Callable[[Any], "str | None"]


@dataclass
class Case:
    name: str
    args: tuple
    kwargs: dict
    points: float = 1.0
    hint: str | None = None
    check: Checker | None = None
    expect: Any = None
    rtol: float | None = None
    atol: float | None = None
    visible: bool = False
    randomized: bool = False
    # Where the case was written, so errors can name the file and line.
    filename: str = ""
    lineno: int = 0
    extra: dict = field(default_factory=dict)


def case(
    name: str,
    *args: Any,
    points: float = 1.0,
    hint: str | None = None,
    check: Checker | None = None,
    expect: Any = None,
    rtol: float | None = None,
    atol: float | None = None,
    **kwargs: Any,
) -> Case:
    """Describe one call of the student's function.

    ``hint`` is shown when the test fails (name the likely bug, never the data).
    ``check`` replaces the comparison with the reference output (for exercises whose
    answer is not unique). ``expect`` pins a hand-computed answer that the reference
    must also produce, so a broken reference is caught by ``validate``.
    """
    caller = sys._getframe(1)
    return Case(
        name=name,
        args=args,
        kwargs=kwargs,
        points=points,
        hint=hint,
        check=check,
        expect=expect,
        rtol=rtol,
        atol=atol,
        filename=caller.f_code.co_filename,
        lineno=caller.f_lineno,
    )
