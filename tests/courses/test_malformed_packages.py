"""A broken course package is refused as a whole, each problem named with its file and line.

Every test copies the demo package, breaks one thing in it, and checks what the author is
told. Loading touches no database.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from stride.courses.package import COURSES_DIR, BrokenPackage, Problem, load_course

LESSON = "lessons/how-a-cnn-extracts-features.toml"
FAQ = "lessons/stride-padding-relu-faq.toml"
QUIZ = "quizzes/stride-padding-pooling.toml"


@pytest.fixture
def package(tmp_path: Path) -> Path:
    target = tmp_path / "cnn-features"
    shutil.copytree(COURSES_DIR / "cnn-features", target)
    return target


def edit(package: Path, relative: str, change: Callable[[str], str]) -> None:
    path = package / relative
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the edit did not apply"
    path.write_text(after, encoding="utf-8")


def replace_once(old: str, new: str, nth: int = 1) -> Callable[[str], str]:
    """Replace the nth occurrence of ``old``."""

    def change(text: str) -> str:
        start = -1
        for _ in range(nth):
            start = text.index(old, start + 1)
        return text[:start] + new + text[start + len(old) :]

    return change


def line_of(package: Path, relative: str, needle: str, nth: int = 1) -> int:
    seen = 0
    for number, line in enumerate((package / relative).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in {relative}")


def problems(package: Path) -> list[Problem]:
    with pytest.raises(BrokenPackage) as caught:
        load_course(package)
    return caught.value.problems


def only_problem(package: Path) -> Problem:
    found = problems(package)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_it_loads_the_untouched_copy(package: Path) -> None:
    assert load_course(package).slug == "cnn-features"


def test_it_names_file_and_line_of_an_unknown_step_type(package: Path) -> None:
    edit(package, FAQ, replace_once('type = "faq"', 'type = "quiz-ish"'))
    problem = only_problem(package)
    assert (problem.file, problem.line) == (FAQ, line_of(package, FAQ, 'type = "quiz-ish"'))
    assert "unknown step type 'quiz-ish'" in problem.message
    assert str(problem).startswith(f"{FAQ}:{problem.line}: ")


def test_it_names_both_places_of_a_duplicate_step_id(package: Path) -> None:
    edit(package, LESSON, replace_once('id = "a-kernel-slides-over"', 'id = "tutor"'))
    problem = only_problem(package)
    assert problem.file == LESSON
    assert problem.line == line_of(package, LESSON, 'id = "tutor"', nth=2)
    assert "duplicate step id 'tutor'" in problem.message
    first = line_of(package, LESSON, 'id = "tutor"')
    assert f"first at line {first}" in problem.message


def test_it_refuses_duplicate_glossary_terms_and_cards(package: Path) -> None:
    edit(package, "glossary.toml", lambda text: text + '\n[[term]]\nid = "kernel"\nterm = "k"\ndefinition = "d"\n')
    edit(package, "flashcards.toml", lambda text: text + '\n[[card]]\nid = "stride-halves"\nfront = "a"\nback = "b"\n')
    found = {(p.file, p.message.split(" (")[0]) for p in problems(package)}
    assert found == {
        ("glossary.toml", "duplicate term id 'kernel'"),
        ("flashcards.toml", "duplicate card id 'stride-halves'"),
    }


def test_it_refuses_a_single_choice_answer_that_is_not_an_option(package: Path) -> None:
    edit(package, QUIZ, replace_once('answer = "It is the same"', 'answer = "It is the very same"'))
    problem = only_problem(package)
    assert (problem.file, problem.line) == (QUIZ, line_of(package, QUIZ, 'answer = "It is the very same"'))
    assert "'It is the very same' is not among the options" in problem.message


def test_it_refuses_a_multiple_choice_answer_outside_the_options(package: Path) -> None:
    edit(
        package,
        QUIZ,
        replace_once(
            'answer = [\n  "It keeps the strongest activation',
            'answer = [\n  "It adds weights",\n  "It keeps the strongest activation',
        ),
    )
    problem = only_problem(package)
    assert problem.file == QUIZ and "'It adds weights' is not among the options" in problem.message


def test_it_refuses_wrongly_typed_answers(package: Path) -> None:
    edit(package, QUIZ, replace_once("answer = true", 'answer = "yes"'))
    edit(package, QUIZ, replace_once("answer = 24", 'answer = "24"'))
    edit(package, QUIZ, replace_once("answer = [[6.0, 2.0], [2.0, 8.0]]", "answer = [[6.0, 2.0], [2.0]]"))
    messages = sorted(p.message for p in problems(package))
    assert messages == [
        "the answer of a matrix question must be a rectangular grid of numbers",
        "the answer of a numeric question must be a number",
        "the answer of a true/false question must be true or false",
    ]


def test_it_refuses_a_see_also_link_to_a_missing_term(package: Path) -> None:
    edit(package, "glossary.toml", replace_once('see_also = ["', 'see_also = ["no-such-term", "'))
    problem = only_problem(package)
    assert problem.file == "glossary.toml"
    assert problem.line == line_of(package, "glossary.toml", '"no-such-term"')
    assert "see_also names missing term 'no-such-term'" in problem.message


def test_it_refuses_a_markdown_glossary_link_to_a_missing_term(package: Path) -> None:
    edit(package, LESSON, replace_once("**kernel** (or filter)", "[kernel](glossary:kernal) (or filter)"))
    problem = only_problem(package)
    assert (problem.file, problem.line) == (LESSON, line_of(package, LESSON, "glossary:kernal"))
    assert "glossary link to missing term 'kernal'" in problem.message


def test_it_refuses_a_reference_to_a_missing_exercise(package: Path) -> None:
    practice = "lessons/practice-the-building-blocks.toml"
    edit(package, practice, replace_once('exercise = "pad2d"', 'exercise = "pad3d"'))
    problem = only_problem(package)
    assert (problem.file, problem.line) == (practice, line_of(package, practice, 'exercise = "pad3d"'))
    assert "exercise 'pad3d' does not exist" in problem.message


def test_it_reports_invalid_toml_with_its_line(package: Path) -> None:
    edit(package, LESSON, replace_once('title = "A kernel slides over the image"', 'title = "unterminated'))
    problem = only_problem(package)
    assert (problem.file, problem.line) == (LESSON, line_of(package, LESSON, 'title = "unterminated'))
    assert problem.message.startswith("invalid TOML")


def test_it_reports_a_file_that_is_not_utf8(package: Path) -> None:
    path = package / "glossary.toml"
    path.write_bytes(path.read_bytes() + b"\n# caf\xe9\n")
    problem = only_problem(package)
    assert problem.file == "glossary.toml" and "not UTF-8" in problem.message
    assert problem.line == path.read_bytes().count(b"\n")


def test_it_refuses_unknown_layers_and_completions(package: Path) -> None:
    edit(package, LESSON, replace_once('unlocks = "conv"', 'unlocks = "convolution"'))
    edit(package, LESSON, replace_once('complete = "read"', 'complete = "check"', nth=2))
    messages = [p.message for p in problems(package)]
    assert any("unknown layer 'convolution'" in m for m in messages)
    assert any("cannot be completed by 'check'" in m for m in messages)


def test_it_refuses_a_missing_generator_and_one_that_fails(package: Path) -> None:
    edit(package, QUIZ, replace_once('generator = "max_pool_grid"', 'generator = "no_such_generator"'))
    edit(
        package,
        "quizzes/generators.py",
        replace_once(
            "    grid = _grid(rng, 4, 4)\n", "    grid = _grid(rng, 4, 4)\n    raise ValueError('oops')\n", nth=2
        ),
    )
    messages = sorted(p.message for p in problems(package))
    assert any("generator 'no_such_generator' is not in generators.py" in m for m in messages)
    assert any("generator 'avg_pool_grid' failed: ValueError: oops" in m for m in messages)


def test_it_refuses_a_placeholder_the_generator_does_not_fill(package: Path) -> None:
    edit(package, QUIZ, replace_once("Max-pool the 4x4 grid `{grid}`", "Max-pool the 4x4 grid `{matrix}`"))
    problem = only_problem(package)
    assert "placeholder {matrix} is not a parameter of 'max_pool_grid'" in problem.message


def test_it_refuses_outline_entries_without_files_and_files_outside_the_outline(package: Path) -> None:
    edit(package, "course.toml", replace_once('lessons = ["convolution-at-three-depths"]', 'lessons = ["missing"]'))
    found = {(p.file, p.message) for p in problems(package)}
    assert ("course.toml", "lesson 'missing' has no file lessons/missing.toml") in found
    assert (
        "lessons/convolution-at-three-depths.toml",
        "this lesson is not listed in any section of course.toml",
    ) in found


def test_it_refuses_a_step_without_its_required_fields(package: Path) -> None:
    edit(package, FAQ, replace_once("entries = [", "questions_and_answers = ["))
    messages = [p.message for p in problems(package)]
    assert "a faq step needs 'entries'" in messages


def test_it_refuses_step_fields_of_the_wrong_type(package: Path) -> None:
    # Each of these used to load, and then failed (a 500) only when a student opened the lesson.
    edit(package, LESSON, replace_once('title = "A kernel slides over the image"', "title = 5"))
    edit(package, LESSON, replace_once('analogy = """', 'analogy = 42\nnotes = """'))
    edit(package, LESSON, replace_once('exercise = "conv2d"', 'exercise = ["conv2d"]'))
    found = {(p.line, p.message) for p in problems(package)}
    assert found == {
        (line_of(package, LESSON, "title = 5"), "'title' must be a string, not an integer"),
        (line_of(package, LESSON, "analogy = 42"), "'analogy' must be a string, not an integer"),
        (line_of(package, LESSON, 'exercise = ["conv2d"]'), "'exercise' must be a string, not a list"),
    }


def test_it_refuses_visualization_params_that_are_not_a_table(package: Path) -> None:
    edit(package, LESSON, replace_once("  [steps.params]\n", 'params = "a 6x6 grid"\n  [steps.grid]\n'))
    problem = only_problem(package)
    assert (problem.line, problem.message) == (
        line_of(package, LESSON, 'params = "a 6x6 grid"'),
        "'params' must be a table ([steps.params])",
    )


def test_it_refuses_a_visualization_window_or_padding_too_big_to_show(package: Path) -> None:
    # A million cells of padding, or a "same"-padded window that wide, would not fit in
    # memory when the lesson is opened.
    edit(package, LESSON, replace_once('  padding = "valid"', "  padding = 1000000"))
    edit(package, LESSON, replace_once("  pool_size = 2\n  stride = 2\n", "  pool_size = 1000000\n  stride = 0\n"))
    found = {(p.line, p.message) for p in problems(package)}
    assert found == {
        (line_of(package, LESSON, "padding = 1000000"), "params.padding is 'valid', 'same' or an int from 0 to 10"),
        (line_of(package, LESSON, "pool_size = 1000000"), "params.pool_size must be an integer from 1 to 10"),
        (line_of(package, LESSON, "stride = 0"), "params.stride must be an integer from 1 to 10"),
    }


def test_it_reports_every_problem_at_once(package: Path) -> None:
    edit(package, FAQ, replace_once('type = "faq"', 'type = "faqs"'))
    edit(package, QUIZ, replace_once('answer = "It is the same"', 'answer = "Same"'))
    edit(package, "glossary.toml", replace_once('see_also = ["', 'see_also = ["ghost", "'))
    assert {p.file for p in problems(package)} == {FAQ, QUIZ, "glossary.toml"}


def test_it_says_when_a_folder_is_not_a_package(tmp_path: Path) -> None:
    with pytest.raises(BrokenPackage, match="course.toml is missing"):
        load_course(tmp_path)
