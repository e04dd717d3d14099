"""The demo course package: complete enough for its students, and consistent.

These checks read the files directly, so they say what the content must hold whatever the
importer accepts (tests/courses/test_sync_course.py covers the import).
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path

import numpy as np
import pytest

from grader.package import exercise_dirs

COURSE = Path(__file__).resolve().parents[2] / "exercises" / "courses" / "cnn-features"
STEP_TYPES = {"tutor", "article", "dialogue", "overview", "explanation", "faq", "memory_aid", "visualization",
              "check", "exercise"}  # fmt: skip
QUESTION_TYPES = {"single", "multiple", "true_false", "numeric", "text", "matrix"}
LAYERS = ["input", "conv", "relu", "pool", "conv2", "relu2", "pool2", "global-pool", "dense"]
EXERCISES = {p.name for p in exercise_dirs()}


def load(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def lessons() -> dict[str, dict]:
    return {p.stem: load(p) for p in sorted((COURSE / "lessons").glob("*.toml"))}


def quizzes() -> dict[str, dict]:
    return {p.stem: load(p) for p in sorted((COURSE / "quizzes").glob("*.toml"))}


def generators():
    spec = importlib.util.spec_from_file_location("course_generators", COURSE / "quizzes" / "generators.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def steps() -> list[dict]:
    return [step for lesson in lessons().values() for step in lesson["steps"]]


def test_it_outlines_a_module_of_three_sections_whose_lessons_exist() -> None:
    course = load(COURSE / "course.toml")
    assert course["slug"] == "cnn-features"
    module = course["modules"][0]
    assert len(module["sections"]) >= 3
    named = {lesson for section in module["sections"] for lesson in section["lessons"]}
    assert named == set(lessons())
    for section in module["sections"]:
        assert section["number"].startswith(module["number"] + ".")
        for quiz in section.get("quizzes", []):
            assert quiz in quizzes()


def test_it_uses_only_known_step_types_and_ids_match_file_names() -> None:
    for name, lesson in lessons().items():
        assert lesson["id"] == name
        assert re.fullmatch(r"\d+(\.\d+)+", lesson["number"])
        for step in lesson["steps"]:
            assert step["type"] in STEP_TYPES, (name, step["type"])


def test_it_has_a_seven_step_lesson_that_unlocks_the_map_in_order() -> None:
    lesson = lessons()["how-a-cnn-extracts-features"]
    assert len(lesson["steps"]) == 7
    unlocked = [step["unlocks"] for step in lesson["steps"] if "unlocks" in step]
    assert unlocked == sorted(unlocked, key=LAYERS.index)
    everywhere = {step["unlocks"] for step in steps() if "unlocks" in step}
    assert everywhere == set(LAYERS)


def test_it_covers_every_lesson_format_and_links_all_nine_exercises() -> None:
    kinds = {step["type"] for step in steps()}
    assert kinds == STEP_TYPES
    linked = {step["exercise"] for step in steps() if step["type"] == "exercise"}
    assert linked == EXERCISES
    aids = {step["kind"] for step in steps() if step["type"] == "memory_aid"}
    assert {"rhyme", "story", "mnemonic", "acronym"} <= aids
    dialogue = next(step for step in steps() if step["type"] == "dialogue")
    assert {line["role"] for line in dialogue["lines"]} == {"teacher", "student"}
    overview = next(step for step in steps() if step["type"] == "overview")
    assert all(overview[depth].strip() for depth in ("basic", "medium", "detailed"))


def test_it_has_enough_glossary_terms_with_keras_names_and_valid_links() -> None:
    terms = load(COURSE / "glossary.toml")["term"]
    assert len(terms) >= 15
    ids = {term["id"] for term in terms}
    assert len(ids) == len(terms)
    for term in terms:
        assert term["definition"].strip() and term["keras"].strip() and isinstance(term["aliases"], list)
        assert set(term.get("see_also", [])) <= ids, term["id"]


def test_it_has_at_least_25_distinct_flashcards() -> None:
    cards = load(COURSE / "flashcards.toml")["card"]
    assert len(cards) >= 25
    assert len({card["id"] for card in cards}) == len(cards)
    assert all(card["front"].strip() and card["back"].strip() for card in cards)


def test_it_asks_every_question_type_with_answers_among_the_options() -> None:
    questions = [q for quiz in quizzes().values() for q in quiz["questions"]]
    assert {q["type"] for q in questions} == QUESTION_TYPES
    for q in questions:
        if q["type"] == "single" and "answer" in q:
            assert q["answer"] in q["options"], q["id"]
        if q["type"] == "multiple" and "answer" in q:
            assert set(q["answer"]) <= set(q["options"]), q["id"]
        assert "answer" in q or "generator" in q, q["id"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_draws_the_same_variant_for_the_same_seed_and_fills_every_placeholder(seed: int) -> None:
    module = generators()
    for quiz in quizzes().values():
        for q in quiz["questions"]:
            if "generator" not in q:
                continue
            first = getattr(module, q["generator"])(np.random.default_rng(seed))
            again = getattr(module, q["generator"])(np.random.default_rng(seed))
            assert first == again
            for placeholder in re.findall(r"\{(\w+)\}", q["prompt"]):
                assert placeholder in first["params"], (q["id"], placeholder)


def test_it_pools_the_generated_grid_as_the_exercises_do() -> None:
    variant = generators().max_pool_grid(np.random.default_rng(7))
    grid = np.array(variant["params"]["grid"], dtype=float)
    by_hand = grid.reshape(2, 2, 2, 2).max(axis=(1, 3))
    assert np.array_equal(np.array(variant["answer"]), by_hand)
