"""Store a loaded course package in the database, in place and in one transaction.

Every item is matched by its stable key: new keys are created, changed items are updated,
the rest are left alone, and items the package no longer has are marked ``retired`` (never
deleted), so students' progress, reviews and attempts survive any re-sync.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import models, transaction

from stride.courses.models import Course, Lesson, Module, Section, Step
from stride.courses.package import CoursePackage, Term
from stride.exercises.models import Exercise
from stride.flashcards.models import Card
from stride.glossary.models import Term as TermRow
from stride.quizzes.models import Question, Quiz

KINDS = ("module", "section", "lesson", "step", "term", "card", "quiz", "question")
PLURALS = {"quiz": "quizzes"}
TERM_CARD_PREFIX = "term-"


@dataclass
class SyncReport:
    course: str
    course_created: bool = False
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    retired: Counter = field(default_factory=Counter)

    def changed(self) -> bool:
        return self.course_created or bool(sum(self.created.values()) + sum(self.updated.values()))

    def lines(self) -> list[str]:
        head = f"course {self.course}: {'created' if self.course_created else 'synced'}"
        lines = [head]
        for what, counts in (
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("retired", self.retired),
        ):
            listed = [
                f"{counts[kind]} {kind if counts[kind] == 1 else PLURALS.get(kind, kind + 's')}"
                for kind in KINDS
                if counts[kind]
            ]
            if listed:
                lines.append(f"  {what}: {', '.join(listed)}")
        return lines


class _Upserter:
    """Create or update rows of one kind under one parent, remembering which keys were seen."""

    def __init__(self, report: SyncReport, kind: str, existing: models.QuerySet) -> None:
        self.report, self.kind = report, kind
        self.rows = {row.key: row for row in existing}
        self.seen: set[str] = set()
        self.model = existing.model

    def put(self, key: str, **fields: Any) -> Any:
        self.seen.add(key)
        fields["retired"] = False
        row = self.rows.get(key)
        if row is None:
            row = self.model.objects.create(key=key, **fields)
            self.rows[key] = row
            self.report.created[self.kind] += 1
            return row
        changed = [name for name, value in fields.items() if _value(row, name) != _value_of(value)]
        if changed:
            for name in changed:
                setattr(row, name, fields[name])
            row.save(update_fields=changed)
            self.report.updated[self.kind] += 1
        else:
            self.report.unchanged[self.kind] += 1
        return row

    def retire_unseen(self) -> None:
        for key, row in self.rows.items():
            if key not in self.seen and not row.retired:
                row.retired = True
                row.save(update_fields=["retired"])
                self.report.retired[self.kind] += 1


def _value(row: models.Model, name: str) -> Any:
    field_ = row._meta.get_field(name)
    return getattr(row, field_.attname) if field_.is_relation else getattr(row, name)


def _value_of(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def term_card_text(term: Term) -> tuple[str, str]:
    """Front and back of the flashcard made from a glossary term."""
    back = term.definition.strip()
    if term.keras:
        back += f"\n\nKeras: `{term.keras}`"
    return f"What is a **{term.term}**?", back


def _exercises(slugs: set[str]) -> dict[str, Exercise]:
    found = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    if set(found) != slugs:  # the exercises were never synced on this database
        Exercise.sync_from_packages()
        found = {e.slug: e for e in Exercise.objects.filter(slug__in=slugs)}
    return found


@transaction.atomic
def sync_course(package: CoursePackage) -> SyncReport:
    """Bring the database in line with ``package``; returns what was created, updated and retired."""
    report = SyncReport(package.slug)
    course, report.course_created = Course.objects.select_for_update().get_or_create(
        slug=package.slug,
        defaults={"title": package.title, "version": package.version},
    )
    course_fields = {
        "title": package.title,
        "summary": package.summary,
        "number": package.number,
        "version": package.version,
        "generators_source": package.generators_source,
    }
    changed = [name for name, value in course_fields.items() if getattr(course, name) != value]
    if changed:
        for name in changed:
            setattr(course, name, course_fields[name])
        course.save(update_fields=[*changed, "updated_at"])

    modules = _Upserter(report, "module", Module.objects.filter(course=course))
    sections = _Upserter(report, "section", Section.objects.filter(course=course))
    lesson_section: dict[str, tuple[Section, int]] = {}
    quiz_section: dict[str, tuple[Section, int]] = {}
    for m_pos, module in enumerate(package.modules):
        module_row = modules.put(module.id, course=course, number=module.number, title=module.title, position=m_pos)
        for s_pos, section in enumerate(module.sections):
            section_row = sections.put(
                section.id, course=course, module=module_row, number=section.number, title=section.title, position=s_pos
            )
            lesson_section.update({key: (section_row, pos) for pos, key in enumerate(section.lessons)})
            quiz_section.update({key: (section_row, pos) for pos, key in enumerate(section.quizzes)})

    slugs = {s.content["exercise"] for lesson in package.lessons.values() for s in lesson.steps if s.type == "exercise"}
    exercises = _exercises(slugs)
    lessons = _Upserter(report, "lesson", Lesson.objects.filter(course=course))
    for key, lesson in package.lessons.items():
        section_row, position = lesson_section[key]
        lesson_row = lessons.put(
            key,
            course=course,
            section=section_row,
            number=lesson.number,
            title=lesson.title,
            tutor=lesson.tutor,
            position=position,
        )
        steps = _Upserter(report, "step", Step.objects.filter(lesson=lesson_row))
        for position, step in enumerate(lesson.steps):
            steps.put(
                step.id,
                lesson=lesson_row,
                position=position,
                type=step.type,
                complete=step.complete,
                unlocks=step.unlocks,
                content=step.content,
                question=asdict(step.question) if step.question else None,
                exercise=exercises.get(step.content.get("exercise")) if step.type == "exercise" else None,
            )
        steps.retire_unseen()

    terms = _Upserter(report, "term", TermRow.objects.filter(course=course))
    for position, term in enumerate(package.terms):
        search_text = "\n".join([term.term, *term.aliases, term.definition]).casefold()
        terms.put(
            term.id,
            course=course,
            term=term.term,
            aliases=term.aliases,
            keras=term.keras,
            definition=term.definition,
            see_also=term.see_also,
            position=position,
            search_text=search_text,
        )

    cards = _Upserter(report, "card", Card.objects.filter(course=course))
    for position, card in enumerate(package.cards):
        cards.put(
            card.id, course=course, front=card.front, back=card.back, tags=card.tags, term=None, position=position
        )
    for offset, term in enumerate(package.terms, start=len(package.cards)):
        front, back = term_card_text(term)
        cards.put(
            TERM_CARD_PREFIX + term.id,
            course=course,
            front=front,
            back=back,
            tags=["glossary"],
            term=terms.rows[term.id],
            position=offset,
        )

    quizzes = _Upserter(report, "quiz", Quiz.objects.filter(course=course))
    for key, quiz in package.quizzes.items():
        section_row, position = quiz_section[key]
        quiz_row = quizzes.put(
            key, course=course, section=section_row, title=quiz.title, description=quiz.description, position=position
        )
        questions = _Upserter(report, "question", Question.objects.filter(quiz=quiz_row))
        for q_pos, question in enumerate(quiz.questions):
            questions.put(
                question.id,
                quiz=quiz_row,
                position=q_pos,
                type=question.type,
                prompt=question.prompt,
                options=question.options,
                answer=question.answer,
                tolerance=question.tolerance,
                explanation=question.explanation,
                generator=question.generator,
                points=question.points,
            )
        questions.retire_unseen()

    for upserter in (modules, sections, lessons, terms, cards, quizzes):
        upserter.retire_unseen()
    return report
