"""Per-student variants of parameterized questions: deterministic, personal, and correct.

"Correct" is checked twice for many seeds: against the grader's reference functions
(what the code exercises accept) and against a direct NumPy computation from the
parameters shown to the student.
"""

from __future__ import annotations

import functools
import math
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from grader.package import find_exercise
from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, load_course
from stride.courses.sync import sync_course
from stride.quizzes import variants
from stride.quizzes.grading import grade_answer
from stride.quizzes.models import Question
from stride.quizzes.variants import VariantError, fill_prompt, make_variant, variant_for, variant_seed

SEEDS = range(200)


def _generated(course: Course) -> list[Question]:
    return list(
        Question.objects.filter(quiz__course=course, retired=False)
        .exclude(generator="")
        .select_related("quiz__course")
        .order_by("quiz__key", "position")
    )


@functools.cache
def _reference(slug: str):
    return find_exercise(slug).reference_function


def test_the_demo_course_has_parameterized_questions_of_every_generator(course: Course) -> None:
    assert {q.generator for q in _generated(course)} == {
        "max_pool_grid",
        "avg_pool_grid",
        "output_size_variant",
        "same_output_size",
        "conv_patch_value",
        "relu_grid",
    }


def test_it_gives_a_student_the_same_variant_on_every_call(course: Course, student) -> None:
    for question in _generated(course):
        first, again = variant_for(student, question), variant_for(student, question)
        assert first == again, question.key
        fresh = Question.objects.select_related("quiz__course").get(pk=question.pk)
        variants.forget_generators()  # as another web process would, loading the module anew
        assert variant_for(student, fresh) == first, question.key


def test_it_keeps_each_variant_through_a_re_sync_of_a_changed_course(course: Course, student, tmp_path: Path) -> None:
    before = {q.key: variant_for(student, q) for q in _generated(course)}
    copy = tmp_path / "cnn-features"
    shutil.copytree(COURSES_DIR / "cnn-features", copy)
    quiz_file = copy / "quizzes" / "stride-padding-pooling.toml"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            'title = "Stride, padding, ReLU and pooling"', 'title = "Stride, padding, ReLU and pooling (revised)"'
        ),
        encoding="utf-8",
    )
    old_version = course.version
    report = sync_course(load_course(copy))
    course.refresh_from_db()
    assert report.updated["quiz"] == 1 and course.version != old_version
    after = {q.key: variant_for(student, q) for q in _generated(course)}
    assert after == before


def test_it_gives_different_students_different_variants_for_most_seeds(course: Course) -> None:
    for question in _generated(course):
        drawn = [
            variant_for(SimpleNamespace(pk=user_id), question).params
            for user_id in range(1, 51)  # only the id counts: no account is needed to draw a variant
        ]
        distinct = {repr(params) for params in drawn}
        assert len(distinct) >= 40, (question.key, len(distinct))


def test_two_students_of_the_demo_course_see_different_quizzes(course: Course, student, other_student) -> None:
    questions = _generated(course)
    mine = [variant_for(student, q).params for q in questions]
    theirs = [variant_for(other_student, q).params for q in questions]
    assert sum(a != b for a, b in zip(mine, theirs, strict=True)) >= len(questions) - 1


def test_the_seed_depends_on_every_part_and_not_on_the_version() -> None:
    base = variant_seed("cnn-features", "quiz", "q1", 7)
    assert base == variant_seed("cnn-features", "quiz", "q1", 7)
    assert len({base, *(variant_seed(*parts) for parts in [
        ("cnn-other", "quiz", "q1", 7), ("cnn-features", "quiz2", "q1", 7),
        ("cnn-features", "quiz", "q2", 7), ("cnn-features", "quiz", "q1", 8),
    ])}) == 5  # fmt: skip
    # Keys are joined with a separator no key can hold, so ("ab", "c") is not ("a", "bc").
    assert variant_seed("s", "ab", "c", 1) != variant_seed("s", "a", "bc", 1)
    assert 0 <= base < 2**64


# -- generated answers against the references ----------------------------------------------------


def _draw(course: Course, name: str, seed: int) -> dict:
    return getattr(variants.course_generators(course), name)(np.random.default_rng(seed))


def test_max_pool_answers_match_the_reference_and_a_direct_computation(course: Course) -> None:
    for seed in SEEDS:
        drawn = _draw(course, "max_pool_grid", seed)
        grid = np.array(drawn["params"]["grid"], dtype=np.float64)
        assert grid.shape == (4, 4)
        assert np.array_equal(drawn["answer"], _reference("max-pool")(grid, 2))
        assert np.array_equal(drawn["answer"], grid.reshape(2, 2, 2, 2).max(axis=(1, 3)))


def test_avg_pool_answers_match_the_reference_and_a_direct_computation(course: Course) -> None:
    for seed in SEEDS:
        drawn = _draw(course, "avg_pool_grid", seed)
        grid = np.array(drawn["params"]["grid"], dtype=np.float64)
        assert np.allclose(drawn["answer"], _reference("avg-pool")(grid, 2))
        assert np.allclose(drawn["answer"], grid.reshape(2, 2, 2, 2).mean(axis=(1, 3)))


def test_output_size_answers_match_the_reference_and_the_formulas(course: Course) -> None:
    for seed in SEEDS:
        drawn = _draw(course, "output_size_variant", seed)
        p = drawn["params"]
        assert drawn["answer"] == _reference("output-size")(p["n"], p["k"], p["s"], p["padding"])
        formula = math.ceil(p["n"] / p["s"]) if p["padding"] == "same" else (p["n"] - p["k"]) // p["s"] + 1
        assert drawn["answer"] == formula, p


def test_same_output_size_answers_match_the_reference_and_the_formula(course: Course) -> None:
    for seed in SEEDS:
        drawn = _draw(course, "same_output_size", seed)
        p = drawn["params"]
        assert drawn["answer"] == _reference("output-size")(p["n"], p["k"], p["s"], "same")
        assert drawn["answer"] == math.ceil(p["n"] / p["s"])


def test_conv_patch_answers_match_the_reference_and_a_direct_computation(course: Course) -> None:
    for seed in SEEDS:
        drawn = _draw(course, "conv_patch_value", seed)
        patch = np.array(drawn["params"]["patch"], dtype=np.float64)
        kernel = np.array(drawn["params"]["kernel"], dtype=np.float64)
        assert drawn["answer"] == _reference("conv2d")(patch, kernel)[0, 0]
        assert drawn["answer"] == float((patch * kernel).sum())  # cross-correlation: no flip


def test_relu_answers_match_the_reference_and_a_direct_computation(course: Course) -> None:
    for seed in SEEDS:
        drawn = _draw(course, "relu_grid", seed)
        grid = np.array(drawn["params"]["grid"], dtype=np.float64)
        assert np.array_equal(drawn["answer"], _reference("relu")(grid))
        assert np.array_equal(drawn["answer"], np.maximum(grid, 0))


def test_a_students_variant_is_graded_correct_when_recomputed_from_its_prompt(course: Course, make_user) -> None:
    """What a careful student computes from the numbers in their prompt is accepted."""
    compute = {
        "max_pool_grid": lambda p: np.array(p["grid"]).reshape(2, 2, 2, 2).max(axis=(1, 3)).tolist(),
        "avg_pool_grid": lambda p: np.array(p["grid"]).reshape(2, 2, 2, 2).mean(axis=(1, 3)).tolist(),
        "relu_grid": lambda p: np.maximum(np.array(p["grid"]), 0).tolist(),
        "conv_patch_value": lambda p: int((np.array(p["patch"]) * np.array(p["kernel"])).sum()),
        "same_output_size": lambda p: math.ceil(p["n"] / p["s"]),
        "output_size_variant": lambda p: (
            math.ceil(p["n"] / p["s"]) if p["padding"] == "same" else (p["n"] - p["k"]) // p["s"] + 1
        ),
    }
    users = [make_user(f"learner{i}") for i in range(10)]
    for question in _generated(course):
        for user in users:
            variant = variant_for(user, question)
            answer = compute[question.generator](variant.params)
            outcome = grade_answer(question.type, variant.answer, answer, tolerance=question.tolerance)
            assert outcome.correct, (question.key, variant.params, outcome.message)


# -- prompts --------------------------------------------------------------------------------------


def test_it_fills_every_placeholder_with_a_readable_grid(course: Course, student) -> None:
    for question in _generated(course):
        variant = variant_for(student, question)
        assert not re.search(r"\{\w+\}", variant.prompt), variant.prompt
    pool = Question.objects.select_related("quiz__course").get(key="q11-max-pool-variant")
    variant = variant_for(student, pool)
    grid = variant.params["grid"]
    assert f"`{grid}`".replace(" ", "") in variant.prompt.replace(" ", "")
    assert re.search(
        r"`\[\[\d, \d, \d, \d\], \[\d, \d, \d, \d\], \[\d, \d, \d, \d\], \[\d, \d, \d, \d\]\]`", variant.prompt
    )


def test_it_writes_whole_floats_without_a_decimal_point_and_leaves_other_braces() -> None:
    prompt = fill_prompt(
        "grid {g}, size {n}, ratio {r}, set $\\{x\\}$ and {unknown}", {"g": [[1.0, -2.5]], "n": 4, "r": 0.5}
    )
    assert prompt == "grid [[1, -2.5]], size 4, ratio 0.5, set $\\{x\\}$ and {unknown}"


def test_a_question_without_a_generator_is_its_own_variant(course: Course, student) -> None:
    fixed = Question.objects.select_related("quiz__course").get(key="q9-max-pool-fixed")
    variant = variant_for(student, fixed)
    assert variant.params == {}
    assert variant.answer == fixed.answer == [[6.0, 2.0], [2.0, 8.0]]
    assert variant.prompt == fixed.prompt


def test_generated_answers_are_plain_json_values(course: Course, student) -> None:
    for question in _generated(course):
        variant = variant_for(student, question)
        assert not any(type(v).__module__ == "numpy" for v in _leaves(variant.answer)), question.key
        assert not any(type(v).__module__ == "numpy" for v in _leaves(variant.params)), question.key


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


# -- the generators module cache --------------------------------------------------------------------


def test_it_loads_the_generators_once_per_course_version(course: Course, student, monkeypatch) -> None:
    loads = []
    real = variants.load_generators
    monkeypatch.setattr(variants, "load_generators", lambda source: loads.append(1) or real(source))
    questions = _generated(course)
    for question in questions:
        variant_for(student, question)
    assert len(loads) == 1
    Course.objects.filter(pk=course.pk).update(version="changed")
    course.refresh_from_db()
    for question in Question.objects.filter(pk__in=[q.pk for q in questions]).select_related("quiz__course"):
        variant_for(student, question)
    assert len(loads) == 2


def test_a_missing_or_failing_generator_is_a_variant_error(course: Course) -> None:
    with pytest.raises(VariantError, match="'nope' is not in generators.py"):
        make_variant(course, ("quiz", "q", 1), prompt="", generator="nope")
    course.generators_source += "\n\ndef broken(rng):\n    raise RuntimeError('author bug')\n"
    course.version = "with-broken"
    with pytest.raises(VariantError, match="'broken' failed: RuntimeError: author bug"):
        make_variant(course, ("quiz", "q", 1), prompt="", generator="broken")
