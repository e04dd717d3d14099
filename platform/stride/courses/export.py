"""Write a stored course back out as a course package, in the format sync_course reads.

Retired items and the flashcards made from glossary terms are left out: the first are no
longer part of the course, the second are made again from the glossary on import.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from stride.courses.models import Course
from stride.courses.sync import TERM_CARD_PREFIX

QUESTION_DEFAULTS = {"options": [], "answer": None, "tolerance": 0.0, "explanation": "", "generator": "", "points": 1.0}


def _question(fields: dict[str, Any]) -> dict[str, Any]:
    """A question's table with only the keys that differ from the defaults (as an author writes it)."""
    table = {"id": fields["id"], "type": fields["type"], "prompt": fields["prompt"]}
    for key, default in QUESTION_DEFAULTS.items():
        value = fields.get(key, default)
        if value != default or (key == "tolerance" and fields["type"] in ("numeric", "matrix")):
            table[key] = value
    return table


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")


def course_files(course: Course) -> dict[str, dict[str, Any] | str]:
    """Relative path -> TOML data (or text, for generators.py) of the package."""
    files: dict[str, dict[str, Any] | str] = {}
    modules = []
    for module in course.modules.filter(retired=False).order_by("position"):
        sections = []
        for section in module.sections.filter(retired=False).order_by("position"):
            table: dict[str, Any] = {"id": section.key, "number": section.number, "title": section.title}
            table["lessons"] = list(
                section.lessons.filter(retired=False).order_by("position").values_list("key", flat=True)
            )
            quizzes = list(section.quizzes.filter(retired=False).order_by("position").values_list("key", flat=True))
            if quizzes:
                table["quizzes"] = quizzes
            sections.append(table)
        modules.append({"id": module.key, "number": module.number, "title": module.title, "sections": sections})
    head: dict[str, Any] = {"slug": course.slug, "title": course.title}
    if course.number:
        head["number"] = course.number
    if course.summary:
        head["summary"] = course.summary
    files["course.toml"] = {**head, "modules": modules}

    for lesson in course.lessons.filter(retired=False):
        steps = []
        for step in lesson.steps.filter(retired=False).order_by("position"):
            table = {"id": step.key, "type": step.type, "complete": step.complete}
            if step.unlocks:
                table["unlocks"] = step.unlocks
            table.update(step.content)
            if step.question is not None:
                table["question"] = _question(step.question)
            steps.append(table)
        data: dict[str, Any] = {"id": lesson.key, "number": lesson.number, "title": lesson.title}
        if lesson.tutor:
            data["tutor"] = lesson.tutor
        files[f"lessons/{lesson.key}.toml"] = {**data, "steps": steps}

    terms = []
    for term in course.terms.filter(retired=False).order_by("position"):
        table = {"id": term.key, "term": term.term, "aliases": term.aliases}
        if term.keras:
            table["keras"] = term.keras
        table["definition"] = term.definition
        if term.see_also:
            table["see_also"] = term.see_also
        terms.append(table)
    if terms:
        files["glossary.toml"] = {"term": terms}

    authored = course.cards.filter(retired=False).exclude(key__startswith=TERM_CARD_PREFIX)
    cards = [
        {"id": card.key, "front": card.front, "back": card.back, "tags": card.tags}
        for card in authored.order_by("position")
    ]
    if cards:
        files["flashcards.toml"] = {"card": cards}

    for quiz in course.quizzes.filter(retired=False):
        data = {"id": quiz.key, "title": quiz.title}
        if quiz.description:
            data["description"] = quiz.description
        data["questions"] = [
            _question({**q, "id": q["key"]})
            for q in quiz.questions.filter(retired=False)
            .order_by("position")
            .values("key", "type", "prompt", *QUESTION_DEFAULTS)
        ]
        files[f"quizzes/{quiz.key}.toml"] = data
    if course.generators_source:
        files["quizzes/generators.py"] = course.generators_source
    return files


def export_course(course: Course, destination: Path) -> list[Path]:
    """Write the package into ``destination`` (created if needed); returns the files written."""
    written = []
    for relative, data in course_files(course).items():
        path = destination / relative
        if isinstance(data, str):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(data, encoding="utf-8")
        else:
            _dump(path, data)
        written.append(path)
    return written
