"""Turning a question's form fields into the answer the grading functions expect."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

MAX_MATRIX_CELLS = 400


def field_name(question_key: str) -> str:
    return f"q-{question_key}"


def answer_from_form(data: QueryDict, question: dict | None, shape: tuple[int, int] | None = None) -> Any:
    """The answer to ``question`` (a dict with id and type) as submitted in a form; None if absent."""
    if not question:
        return None
    name, kind = field_name(question.get("id", "")), question.get("type")
    if kind == "multiple":
        return data.getlist(name)
    if kind == "true_false":
        value = data.get(name)
        return {"true": True, "false": False}.get(value, value)
    if kind == "matrix":
        if shape is None or shape[0] * shape[1] > MAX_MATRIX_CELLS:
            return None
        rows, cols = shape
        return [[data.get(f"{name}-r{r}-c{c}", "").strip() for c in range(cols)] for r in range(rows)]
    value = data.get(name)
    return value.strip() if isinstance(value, str) else value
