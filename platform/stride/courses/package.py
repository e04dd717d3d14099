"""Read and check a course package (``exercises/courses/<slug>/``) without touching the database.

:func:`load_course` returns a :class:`CoursePackage` or raises :class:`BrokenPackage`
listing every problem found, each naming the file and, where it can, the line. The format
is described in ``exercises/courses/README.md``; :mod:`stride.courses.sync` stores a
loaded package and :mod:`stride.courses.export` writes one back.
"""

from __future__ import annotations

import hashlib
import re
import types
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from grader.package import EXERCISES_DIR, exercise_dirs
from stride.courses.checking import ID, Checker, Problem, Source, is_grid, is_number

COURSES_DIR = EXERCISES_DIR / "courses"
STEP_TYPES = ("tutor", "article", "dialogue", "overview", "explanation", "faq", "memory_aid", "visualization",
              "check", "exercise")  # fmt: skip
COMPLETIONS = ("read", "check", "exercise")
QUESTION_TYPES = ("single", "multiple", "true_false", "numeric", "text", "matrix")
MEMORY_AID_KINDS = ("rhyme", "story", "mnemonic", "acronym")
LAYERS = ("input", "conv", "relu", "pool", "conv2", "relu2", "pool2", "global-pool", "dense")
KERNEL_PRESETS = ("vertical-edge", "horizontal-edge", "blur", "sharpen")
# Fields each step type requires (strings unless said otherwise), beyond id/type/complete.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "tutor": ("text",),
    "article": ("title", "text"),
    "dialogue": ("title", "lines"),
    "overview": ("title", "basic", "medium", "detailed"),
    "explanation": ("title", "explanation"),
    "faq": ("title", "entries"),
    "memory_aid": ("kind", "title", "text"),
    "visualization": ("kind", "caption", "params"),
    "check": ("question",),
    "exercise": ("exercise", "text"),
}
# The required fields above that are not strings; they are checked on their own.
TABLE_FIELDS = ("lines", "entries", "params", "question")
OPTIONAL_TEXT_FIELDS: dict[str, tuple[str, ...]] = {"explanation": ("analogy", "example")}
# A visualization's grid is small: a stride, window or padding beyond this shows nothing
# useful, and a huge window or padding would not even fit in memory when the lesson opens.
MAX_VISUALIZATION_STEP = 10
# Markdown links to a glossary entry: [text](glossary:term-id).
GLOSSARY_LINK = re.compile(r"\]\(glossary:([^)\s]*)\)")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


class BrokenPackage(Exception):
    """A course package that cannot be imported; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class Question:
    id: str
    type: str
    prompt: str
    options: list[str] = field(default_factory=list)
    answer: Any = None
    tolerance: float = 0.0
    explanation: str = ""
    generator: str = ""
    points: float = 1.0


@dataclass
class Step:
    id: str
    type: str
    complete: str
    unlocks: str = ""
    # The type's own fields (text, lines, params, ...) as in the file, minus "question".
    content: dict[str, Any] = field(default_factory=dict)
    question: Question | None = None


@dataclass
class Lesson:
    id: str
    number: str
    title: str
    tutor: str = ""
    steps: list[Step] = field(default_factory=list)


@dataclass
class Section:
    id: str
    number: str
    title: str
    lessons: list[str] = field(default_factory=list)
    quizzes: list[str] = field(default_factory=list)


@dataclass
class Module:
    id: str
    number: str
    title: str
    sections: list[Section] = field(default_factory=list)


@dataclass
class Term:
    id: str
    term: str
    definition: str
    keras: str = ""
    aliases: list[str] = field(default_factory=list)
    see_also: list[str] = field(default_factory=list)


@dataclass
class Card:
    id: str
    front: str
    back: str
    tags: list[str] = field(default_factory=list)


@dataclass
class Quiz:
    id: str
    title: str
    description: str = ""
    questions: list[Question] = field(default_factory=list)


@dataclass
class CoursePackage:
    slug: str
    title: str
    summary: str
    number: str
    modules: list[Module]
    lessons: dict[str, Lesson]
    terms: list[Term]
    cards: list[Card]
    quizzes: dict[str, Quiz]
    generators_source: str = ""
    version: str = ""

    def content(self) -> dict[str, Any]:
        """Everything the package says, as plain data (what a round trip must keep)."""
        data = asdict(self)
        data.pop("version")
        return data


# -- the parts of a package ------------------------------------------------------------------


def _question(ck: Checker, table: dict, source: Source, line: int | None, seen: dict, generators) -> Question:
    qid = ck.ident(table, source, line, seen, "question")
    kind = ck.text(table, "type", source, line)
    if kind and kind not in QUESTION_TYPES:
        ck.add(source, source.key("type", line), f"unknown question type {kind!r} (one of {', '.join(QUESTION_TYPES)})")
        kind = ""
    question = Question(
        id=qid,
        type=kind,
        prompt=ck.text(table, "prompt", source, line),
        explanation=ck.text(table, "explanation", source, line, required=False),
        generator=ck.text(table, "generator", source, line, required=False),
    )
    if "options" in table or kind in ("single", "multiple"):
        question.options = ck.strings(table, "options", source, line)
        if kind in ("single", "multiple") and len(question.options) < 2:
            ck.add(source, source.key("options", line), "a choice question needs at least two options")
        if len(set(question.options)) != len(question.options):
            ck.add(source, source.key("options", line), "options repeat")
    for key in ("tolerance", "points"):
        if key in table:
            value = table[key]
            if not is_number(value) or value < 0:
                ck.add(source, source.key(key, line), f"{key!r} must be a number >= 0")
            else:
                setattr(question, key, float(value))
    answer_line = source.key("answer", line)
    if question.generator:
        if generators is None:
            ck.add(source, source.key("generator", line), "uses a generator but quizzes/generators.py does not exist")
        elif not callable(getattr(generators, question.generator, None)):
            ck.add(source, source.key("generator", line), f"generator {question.generator!r} is not in generators.py")
        else:
            answer = _run_generator(ck, generators, question, source, source.key("generator", line))
            if answer is not None:
                _check_answer(ck, question, answer, source, source.key("generator", line), generated=True)
        if "answer" in table:
            ck.add(source, answer_line, "a question with a generator takes its answer from the generator")
    elif "answer" not in table:
        ck.add(source, line, "missing 'answer'")
    else:
        question.answer = table["answer"]
        _check_answer(ck, question, question.answer, source, answer_line)
    return question


def _check_answer(ck: Checker, q: Question, answer: Any, source: Source, line: int | None, generated=False) -> None:
    origin = "the generated answer" if generated else "the answer"
    if q.type == "single":
        if not isinstance(answer, str) or answer not in q.options:
            ck.add(source, line, f"{origin} {answer!r} is not among the options")
    elif q.type == "multiple":
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            ck.add(source, line, f"{origin} of a multiple-choice question must be a list of options")
        else:
            missing = [a for a in answer if a not in q.options]
            if missing:
                ck.add(source, line, f"{origin} {missing[0]!r} is not among the options")
    elif q.type == "true_false":
        if not isinstance(answer, bool):
            ck.add(source, line, f"{origin} of a true/false question must be true or false")
    elif q.type == "numeric":
        if not is_number(answer):
            ck.add(source, line, f"{origin} of a numeric question must be a number")
    elif q.type == "text":
        if not isinstance(answer, list) or not answer or not all(isinstance(a, str) and a.strip() for a in answer):
            ck.add(source, line, f"{origin} of a text question must be a list of accepted answers")
    elif q.type == "matrix" and not is_grid(answer):
        ck.add(source, line, f"{origin} of a matrix question must be a rectangular grid of numbers")


def _run_generator(ck: Checker, generators, q: Question, source: Source, line: int | None) -> Any:
    """Draw one variant (seed 0) to prove the generator works; returns its answer or None."""
    try:
        variant = getattr(generators, q.generator)(np.random.default_rng(0))
    except Exception as error:  # an author's bug, reported like any other problem
        ck.add(source, line, f"generator {q.generator!r} failed: {type(error).__name__}: {error}")
        return None
    if not isinstance(variant, dict) or not isinstance(variant.get("params"), dict) or "answer" not in variant:
        ck.add(source, line, f"generator {q.generator!r} must return {{'params': {{...}}, 'answer': ...}}")
        return None
    for name in PLACEHOLDER.findall(q.prompt):
        if name not in variant["params"]:
            ck.add(source, source.key("prompt", line), f"placeholder {{{name}}} is not a parameter of {q.generator!r}")
    return variant["answer"]


def _step(ck: Checker, table: dict, source: Source, index: int, seen: dict, quiz_seen: dict, generators) -> Step:
    line = source.table("steps", index)
    sid = ck.ident(table, source, line, seen, "step")
    kind = ck.text(table, "type", source, line)
    if kind and kind not in STEP_TYPES:
        ck.add(source, source.key("type", line), f"unknown step type {kind!r} (one of {', '.join(STEP_TYPES)})")
        kind = ""
    default = {"check": "check", "exercise": "exercise"}.get(kind, "read")
    complete = ck.text(table, "complete", source, line, required=False, default=default)
    if complete not in COMPLETIONS:
        ck.add(source, source.key("complete", line), f"complete must be one of {', '.join(COMPLETIONS)}")
    elif complete != "read" and complete != default:
        ck.add(source, source.key("complete", line), f"a {kind or 'step'} step cannot be completed by {complete!r}")
    unlocks = ck.text(table, "unlocks", source, line, required=False)
    if unlocks and unlocks not in LAYERS:
        ck.add(source, source.key("unlocks", line), f"unknown layer {unlocks!r} (one of {', '.join(LAYERS)})")
    step = Step(id=sid, type=kind, complete=complete, unlocks=unlocks)
    step.content = {k: v for k, v in table.items() if k not in ("id", "type", "complete", "unlocks", "question")}
    for key in STEP_FIELDS.get(kind, ()):
        if key not in table:
            ck.add(source, line, f"a {kind} step needs {key!r}")
        elif key not in TABLE_FIELDS:  # prose and names: anything else would fail only when a student opens it
            ck.text(table, key, source, line)
    for key in OPTIONAL_TEXT_FIELDS.get(kind, ()):
        ck.text(table, key, source, line, required=False)
    if kind == "check" and isinstance(table.get("question"), dict):
        step.question = _question(ck, table["question"], source, source.find("question", line), quiz_seen, generators)
    elif kind == "check" and "question" in table:
        ck.add(source, source.key("question", line), "'question' must be a table ([steps.question])")
    if kind == "explanation" and not ({"analogy", "example"} & set(table)):
        ck.add(source, line, "an explanation step needs an 'analogy' or an 'example'")
    if kind == "memory_aid" and table.get("kind") not in MEMORY_AID_KINDS:
        ck.add(source, source.key("kind", line), f"a memory aid's kind is one of {', '.join(MEMORY_AID_KINDS)}")
    if kind == "dialogue" and not _tables_of_strings(table.get("lines"), "speaker", "text"):
        ck.add(source, source.key("lines", line), "'lines' must be a list of {speaker, role, text} tables")
    if kind == "faq" and not _tables_of_strings(table.get("entries"), "question", "answer"):
        ck.add(source, source.key("entries", line), "'entries' must be a list of {question, answer} tables")
    if kind == "visualization":
        _visualization(ck, table, source, line)
    return step


def _tables_of_strings(value: Any, *keys: str) -> bool:
    """Whether ``value`` is a non-empty list of tables that each have string ``keys``."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(x, dict) and all(isinstance(x.get(k), str) for k in keys) for x in value)
    )


def _visualization(ck: Checker, table: dict, source: Source, line: int | None) -> None:
    kind, params = table.get("kind"), table.get("params")
    where = source.find("params", line)
    if kind not in ("convolution", "pooling"):
        ck.add(source, source.key("kind", line), "a visualization's kind is convolution or pooling")
        return
    if not isinstance(params, dict):
        if "params" in table:
            ck.add(source, where, "'params' must be a table ([steps.params])")
        return
    if not is_grid(params.get("input")):
        ck.add(source, source.key("input", where), "params.input must be a rectangular grid of numbers")
    padding = params.get("padding", "valid")
    if padding not in ("valid", "same") and not (
        isinstance(padding, int) and not isinstance(padding, bool) and 0 <= padding <= MAX_VISUALIZATION_STEP
    ):
        ck.add(
            source,
            source.key("padding", where),
            f"params.padding is 'valid', 'same' or an int from 0 to {MAX_VISUALIZATION_STEP}",
        )
    for key in ("stride", "pool_size"):
        value = params.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VISUALIZATION_STEP:
            ck.add(
                source, source.key(key, where), f"params.{key} must be an integer from 1 to {MAX_VISUALIZATION_STEP}"
            )
    if kind == "convolution":
        if "kernel" in params and not is_grid(params["kernel"]):
            ck.add(source, source.key("kernel", where), "params.kernel must be a rectangular grid of numbers")
        if "kernel" not in params and params.get("preset") not in KERNEL_PRESETS:
            ck.add(
                source, source.key("preset", where), f"params needs a kernel or a preset ({', '.join(KERNEL_PRESETS)})"
            )
    elif params.get("mode", "max") not in ("max", "average"):
        ck.add(source, source.key("mode", where), "params.mode is max or average")


def _lesson(ck: Checker, path: Path, relative: str, exercises: set[str], generators) -> Lesson | None:
    source, data = ck.read(path, relative)
    if source is None:
        return None
    lesson = Lesson(
        id=ck.ident(data, source, None, {}, "lesson"),
        number=ck.number(data, source, None),
        title=ck.text(data, "title", source, None),
        tutor=ck.text(data, "tutor", source, None, required=False),
    )
    if lesson.id and lesson.id != path.stem:
        ck.add(source, source.key("id"), f"lesson id {lesson.id!r} does not match the file name {path.name!r}")
    seen: dict[str, int | None] = {}
    question_ids: dict[str, int | None] = {}  # the check questions of one lesson share an id space
    for index, table in enumerate(ck.tables(data, "steps", source)):
        step = _step(ck, table, source, index, seen, question_ids, generators)
        if step.type == "exercise":
            slug = step.content.get("exercise")
            if isinstance(slug, str) and slug not in exercises:
                at = source.key("exercise", source.table("steps", index))
                ck.add(source, at, f"exercise {slug!r} does not exist in exercises/")
        lesson.steps.append(step)
    return lesson


def _terms(ck: Checker, root: Path) -> tuple[list[Term], Source | None]:
    path = root / "glossary.toml"
    if not path.is_file():
        return [], None
    source, data = ck.read(path, "glossary.toml")
    if source is None:
        return [], None
    terms, seen = [], {}
    for index, table in enumerate(ck.tables(data, "term", source)):
        line = source.table("term", index)
        terms.append(
            Term(
                id=ck.ident(table, source, line, seen, "term"),
                term=ck.text(table, "term", source, line),
                definition=ck.text(table, "definition", source, line),
                keras=ck.text(table, "keras", source, line, required=False),
                aliases=ck.strings(table, "aliases", source, line),
                see_also=ck.strings(table, "see_also", source, line),
            )
        )
    return terms, source


def _cards(ck: Checker, root: Path) -> list[Card]:
    path = root / "flashcards.toml"
    if not path.is_file():
        return []
    source, data = ck.read(path, "flashcards.toml")
    if source is None:
        return []
    cards, seen = [], {}
    for index, table in enumerate(ck.tables(data, "card", source)):
        line = source.table("card", index)
        card_id = ck.ident(table, source, line, seen, "card")
        if card_id.startswith("term-"):
            ck.add(source, source.key("id", line), "card ids starting with 'term-' are kept for glossary cards")
        cards.append(
            Card(
                id=card_id,
                front=ck.text(table, "front", source, line),
                back=ck.text(table, "back", source, line),
                tags=ck.strings(table, "tags", source, line),
            )
        )
    return cards


def _quiz(ck: Checker, path: Path, relative: str, generators) -> Quiz | None:
    source, data = ck.read(path, relative)
    if source is None:
        return None
    quiz = Quiz(
        id=ck.ident(data, source, None, {}, "quiz"),
        title=ck.text(data, "title", source, None),
        description=ck.text(data, "description", source, None, required=False),
    )
    if quiz.id and quiz.id != path.stem:
        ck.add(source, source.key("id"), f"quiz id {quiz.id!r} does not match the file name {path.name!r}")
    seen: dict[str, int | None] = {}
    for index, table in enumerate(ck.tables(data, "questions", source)):
        quiz.questions.append(_question(ck, table, source, source.table("questions", index), seen, generators))
    return quiz


def _generators(ck: Checker, root: Path) -> tuple[str, types.ModuleType | None]:
    path = root / "quizzes" / "generators.py"
    if not path.is_file():
        return "", None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        ck.add("quizzes/generators.py", None, f"cannot be read: {error}")
        return "", None
    try:
        return text, load_generators(text)
    except SyntaxError as error:
        ck.add("quizzes/generators.py", error.lineno, f"syntax error: {error.msg}")
    except Exception as error:
        ck.add("quizzes/generators.py", None, f"{type(error).__name__} while loading: {error}")
    return text, None


def load_generators(source: str) -> types.ModuleType:
    """Run a package's generators.py (trusted author code, like an exercise's reference)."""
    module = types.ModuleType("stride_course_generators")
    exec(compile(source, "generators.py", "exec"), module.__dict__)
    return module


def _markdown_links(ck: Checker, root: Path, files: list[Path], terms: set[str]) -> None:
    """Every [text](glossary:id) in the package's prose must name a glossary term."""
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue  # reported when the file was read
        for number, line in enumerate(lines, 1):
            for target in GLOSSARY_LINK.findall(line):
                if target not in terms:
                    ck.add(path.relative_to(root).as_posix(), number, f"glossary link to missing term {target!r}")


def package_version(root: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def load_course(root: Path | str, exercises: set[str] | None = None) -> CoursePackage:
    """Load and check the package in ``root``; raises BrokenPackage naming every problem."""
    root = Path(root).resolve()
    if exercises is None:
        exercises = {p.name for p in exercise_dirs()}
    ck = Checker()
    if not (root / "course.toml").is_file():
        raise BrokenPackage([Problem(str(root), None, "not a course package: course.toml is missing")])
    source, data = ck.read(root / "course.toml", "course.toml")
    if source is None:
        raise BrokenPackage(ck.problems)
    slug = ck.text(data, "slug", source, None)
    if slug and not ID.fullmatch(slug):
        ck.add(source, source.key("slug"), f"slug {slug!r} must be lowercase letters, digits and dashes")
    course = CoursePackage(
        slug=slug,
        title=ck.text(data, "title", source, None),
        summary=ck.text(data, "summary", source, None, required=False),
        number=ck.number(data, source, None) if "number" in data else "",
        modules=[],
        lessons={},
        terms=[],
        cards=[],
        quizzes={},
    )
    generators_source, generators = _generators(ck, root)
    course.generators_source = generators_source

    listed_lessons: dict[str, int | None] = {}
    listed_quizzes: dict[str, int | None] = {}
    module_ids: dict[str, int | None] = {}
    section_ids: dict[str, int | None] = {}
    section_index = 0
    for index, table in enumerate(ck.tables(data, "modules", source)):
        line = source.table("modules", index)
        module = Module(
            id=ck.ident(table, source, line, module_ids, "module"),
            number=ck.number(table, source, line),
            title=ck.text(table, "title", source, line),
        )
        for section_table in ck.tables(table, "sections", source):
            at = source.table("modules.sections", section_index)
            section_index += 1
            section = Section(
                id=ck.ident(section_table, source, at, section_ids, "section"),
                number=ck.number(section_table, source, at),
                title=ck.text(section_table, "title", source, at),
                lessons=ck.strings(section_table, "lessons", source, at),
                quizzes=ck.strings(section_table, "quizzes", source, at),
            )
            for kind, names, listed in (
                ("lesson", section.lessons, listed_lessons),
                ("quiz", section.quizzes, listed_quizzes),
            ):
                for name in names:
                    if name in listed:
                        ck.add(source, source.find(f'"{name}"', at), f"{kind} {name!r} is listed twice in the outline")
                    listed[name] = source.find(f'"{name}"', at)
            module.sections.append(section)
        course.modules.append(module)

    lesson_files = {p.stem: p for p in sorted((root / "lessons").glob("*.toml"))}
    for name, line in listed_lessons.items():
        if name not in lesson_files:
            ck.add(source, line, f"lesson {name!r} has no file lessons/{name}.toml")
    for name, path in lesson_files.items():
        if name not in listed_lessons:
            ck.add(f"lessons/{path.name}", None, "this lesson is not listed in any section of course.toml")
            continue
        lesson = _lesson(ck, path, f"lessons/{path.name}", exercises, generators)
        if lesson is not None:
            course.lessons[name] = lesson

    quiz_files = {p.stem: p for p in sorted((root / "quizzes").glob("*.toml"))}
    for name, line in listed_quizzes.items():
        if name not in quiz_files:
            ck.add(source, line, f"quiz {name!r} has no file quizzes/{name}.toml")
    for name, path in quiz_files.items():
        if name not in listed_quizzes:
            ck.add(f"quizzes/{path.name}", None, "this quiz is not listed in any section of course.toml")
            continue
        quiz = _quiz(ck, path, f"quizzes/{path.name}", generators)
        if quiz is not None:
            course.quizzes[name] = quiz

    course.terms, glossary = _terms(ck, root)
    term_ids = {t.id for t in course.terms}
    if glossary is not None:
        for index, term in enumerate(course.terms):
            for other in term.see_also:
                if other not in term_ids:
                    at = source_line = glossary.key("see_also", glossary.table("term", index))
                    ck.add(glossary, at or source_line, f"term {term.id!r}: see_also names missing term {other!r}")
    course.cards = _cards(ck, root)
    prose = [root / "course.toml", *lesson_files.values(), *quiz_files.values()]
    prose += [p for p in (root / "glossary.toml", root / "flashcards.toml") if p.is_file()]
    _markdown_links(ck, root, prose, term_ids)

    if ck.problems:
        raise BrokenPackage(ck.problems)
    course.version = package_version(root)
    return course


def course_dirs(root: Path = COURSES_DIR) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/course.toml"))
