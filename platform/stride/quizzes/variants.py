"""Each student's own variant of a parameterized question, the same on every reload.

A question with a ``generator`` names a function of the course package's
``quizzes/generators.py`` (stored in ``Course.generators_source``). It is called with a
NumPy generator seeded from a hash of (course slug, quiz key, question key, user id), and
returns the parameters shown in the prompt and the answer, computed with the grader's
reference functions. The seed leaves out the course version, so a re-sync that does not
touch the generator keeps every student's variant.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stride.courses.models import Course
from stride.courses.package import load_generators

logger = logging.getLogger(__name__)

PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Loaded generators.py modules by course id: (version, source, module). Loading one imports
# grader.package and the reference functions, so it is done once per course version.
_modules: dict[int, tuple[str, str, types.ModuleType]] = {}
_modules_lock = threading.Lock()


class VariantError(Exception):
    """A generator that is missing or failed for this seed: the course author's bug, not the student's."""


@dataclass(frozen=True)
class Variant:
    params: dict[str, Any] = field(default_factory=dict)
    answer: Any = None
    prompt: str = ""


def variant_seed(course_slug: str, *keys: str | int) -> int:
    """A 64-bit seed from the course slug and the keys that name a question and a student."""
    text = "\x1f".join([course_slug, *(str(k) for k in keys)])
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def course_generators(course: Course) -> types.ModuleType | None:
    """The course's loaded generators.py (None when it has none), cached per course version."""
    if not course.generators_source:
        return None
    cached = _modules.get(course.pk)
    if cached is not None and cached[0] == course.version and cached[1] == course.generators_source:
        return cached[2]
    with _modules_lock:
        cached = _modules.get(course.pk)
        if cached is not None and cached[0] == course.version and cached[1] == course.generators_source:
            return cached[2]
        try:
            module = load_generators(course.generators_source)
        except Exception as error:  # checked when the package was loaded; report, never crash a page
            raise VariantError(f"generators.py of {course.slug} cannot be loaded: {error}") from error
        _modules[course.pk] = (course.version, course.generators_source, module)
        return module


def forget_generators() -> None:
    """Drop every cached generators module (tests that rewrite a course's source use it)."""
    with _modules_lock:
        _modules.clear()


def plain(value: Any) -> Any:
    """``value`` as JSON-ready Python: NumPy arrays and scalars become lists and numbers."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def render_param(value: Any) -> str:
    """How a parameter reads inside a prompt: grids as ``[[1, 2], [3, 4]]``, numbers without ``.0``."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(render_param(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def fill_prompt(prompt: str, params: dict[str, Any]) -> str:
    """Replace each ``{name}`` that names a parameter; other braces (Markdown, math) stay as written."""
    return PLACEHOLDER.sub(lambda m: render_param(params[m[1]]) if m[1] in params else m[0], prompt)


def make_variant(
    course: Course,
    keys: Sequence[str | int],
    *,
    prompt: str,
    answer: Any = None,
    generator: str = "",
) -> Variant:
    """The variant of a question of ``course`` named by ``keys`` (quiz key, question key, user id).

    Without a generator the stored answer and prompt are the variant. Raises VariantError
    when the generator is missing or fails.
    """
    if not generator:
        return Variant(params={}, answer=answer, prompt=prompt)
    module = course_generators(course)
    function = getattr(module, generator, None) if module is not None else None
    if not callable(function):
        raise VariantError(f"generator {generator!r} is not in generators.py of {course.slug}")
    seed = variant_seed(course.slug, *keys)
    try:
        drawn = function(np.random.default_rng(seed))
        params, drawn_answer = dict(drawn["params"]), drawn["answer"]
    except Exception as error:  # an author's bug for this seed
        logger.exception("generator %s of %s failed for seed %d", generator, course.slug, seed)
        raise VariantError(f"generator {generator!r} failed: {type(error).__name__}: {error}") from error
    params = plain(params)
    return Variant(params=params, answer=plain(drawn_answer), prompt=fill_prompt(prompt, params))


def variant_for(user, question) -> Variant:
    """``user``'s variant of ``question`` (a stride.quizzes Question; select its quiz and course)."""
    quiz = question.quiz
    return make_variant(
        quiz.course,
        (quiz.key, question.key, user.pk),
        prompt=question.prompt,
        answer=question.answer,
        generator=question.generator,
    )
