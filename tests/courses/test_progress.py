"""Unlock rules: steps open one after another, each completed as it says, and the map follows."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride.courses import progress
from stride.courses.models import Course, Lesson, Step, StepProgress
from stride.exercises.models import Exercise
from stride.submissions.models import Submission
from tests.courses.conftest import rewrite

LESSON = "how-a-cnn-extracts-features"


def lesson(key: str = LESSON) -> Lesson:
    return Lesson.objects.get(key=key)


def unlocked(user, key: str = LESSON) -> list[bool]:
    return [s.unlocked for s in progress.lesson_states(user, lesson(key))]


def open_layers(user, course: Course) -> list[str]:
    return [layer["layer"] for layer in progress.architecture_map(user, course) if layer["unlocked"]]


def test_it_opens_only_the_first_step_of_a_new_lesson(course: Course, student) -> None:
    assert unlocked(student) == [True] + [False] * 6
    assert open_layers(student, course) == []


def test_it_opens_the_next_step_when_a_read_step_is_completed(course: Course, student, other_student) -> None:
    state, feedback = progress.complete_step(student, lesson(), 1)
    assert state.completed and feedback is None
    assert unlocked(student) == [True, True] + [False] * 5
    assert open_layers(student, course) == ["input"]
    assert unlocked(other_student) == [True] + [False] * 6  # progress is per student


def test_it_refuses_to_complete_a_locked_step(course: Course, student) -> None:
    with pytest.raises(progress.StepLocked):
        progress.complete_step(student, lesson(), 3)
    assert not StepProgress.objects.filter(user=student).exists()


def test_it_refuses_a_step_number_outside_the_lesson(course: Course, student) -> None:
    for number in (0, 8, -1):
        with pytest.raises(IndexError):
            progress.complete_step(student, lesson(), number)


def test_it_completes_a_step_only_once(course: Course, student) -> None:
    progress.complete_step(student, lesson(), 1)
    progress.complete_step(student, lesson(), 1)
    assert StepProgress.objects.filter(user=student).count() == 1


def walk_to_the_check(student) -> int:
    for number in (1, 2, 3, 4):
        progress.complete_step(student, lesson(), number)
    check = [s for s in progress.lesson_states(student, lesson()) if s.step.type == "check"][0]
    return check.number


def test_it_completes_a_check_step_only_with_the_right_answer(course: Course, student) -> None:
    number = walk_to_the_check(student)
    question = lesson().steps.get(position=number - 1).question
    wrong = next(option for option in question["options"] if option != question["answer"])
    with pytest.raises(progress.NotCompleted) as failed:
        progress.complete_step(student, lesson(), number, wrong)
    assert failed.value.feedback["correct"] is False
    assert unlocked(student)[number] is False
    state, feedback = progress.complete_step(student, lesson(), number, question["answer"])
    assert state.completed and feedback["correct"] is True and feedback["explanation"]
    assert unlocked(student)[number] is True
    assert "conv2" in open_layers(student, course)


def test_it_treats_a_malformed_check_answer_as_not_correct(course: Course, student) -> None:
    number = walk_to_the_check(student)
    for answer in (None, 42, ["a list"], {"an": "object"}):
        with pytest.raises(progress.NotCompleted):
            progress.complete_step(student, lesson(), number, answer)
    assert unlocked(student)[number] is False


def test_it_completes_an_exercise_step_only_after_a_passed_submission(course: Course, student, other_student) -> None:
    number = walk_to_the_check(student)
    question = lesson().steps.get(position=number - 1).question
    progress.complete_step(student, lesson(), number, question["answer"])
    progress.complete_step(student, lesson(), number + 1)  # the tutor's wrap-up
    exercise_number = number + 2
    step = lesson().steps.get(position=exercise_number - 1)
    assert step.type == "exercise" and step.exercise.slug == "conv2d"
    with pytest.raises(progress.NotCompleted, match="pass the exercise conv2d"):
        progress.complete_step(student, lesson(), exercise_number)

    conv2d = Exercise.objects.get(slug="conv2d")
    kwargs = {"exercise": conv2d, "exercise_version": conv2d.version, "code": "", "status": Submission.Status.GRADED}
    Submission.objects.create(user=student, score=0.5, **kwargs)
    Submission.objects.create(user=other_student, score=1.0, **kwargs)  # someone else's pass does not count
    with pytest.raises(progress.NotCompleted):
        progress.complete_step(student, lesson(), exercise_number)
    Submission.objects.create(user=student, score=1.0, **kwargs)
    state, _ = progress.complete_step(student, lesson(), exercise_number)
    assert state.completed


def test_it_unlocks_the_map_layer_by_layer_through_the_seven_step_lesson(course: Course, student) -> None:
    conv2d = Exercise.objects.get(slug="conv2d")
    Submission.objects.create(
        user=student, exercise=conv2d, exercise_version="v", code="", status=Submission.Status.GRADED, score=1.0
    )
    seen = []
    for state in progress.lesson_states(student, lesson()):
        answer = state.step.question["answer"] if state.step.type == "check" else None
        progress.complete_step(student, lesson(), state.number, answer)
        seen.append(open_layers(student, course))
    # The second block's ReLU and pooling are unlocked by the practice and pooling lessons.
    assert seen == [
        ["input"],
        ["input", "conv"],
        ["input", "conv", "relu"],
        ["input", "conv", "relu", "pool"],
        ["input", "conv", "relu", "pool", "conv2"],
        ["input", "conv", "relu", "pool", "conv2", "global-pool"],
        ["input", "conv", "relu", "pool", "conv2", "global-pool", "dense"],
    ]
    assert unlocked(student) == [True] * 7


def test_it_keeps_completed_steps_open_when_a_resync_inserts_a_step_before_them(
    course: Course, student, sync, package_dir: Path
) -> None:
    for number in (1, 2):
        progress.complete_step(student, lesson(), number)
    rewrite(
        package_dir / "lessons" / f"{LESSON}.toml",
        '[[steps]]\nid = "a-kernel-slides-over"',
        '[[steps]]\nid = "inserted"\ntype = "tutor"\ntext = "A new first word."\n\n'
        '[[steps]]\nid = "a-kernel-slides-over"',
    )
    sync()
    states = progress.lesson_states(student, lesson())
    assert [(s.step.key, s.completed, s.unlocked) for s in states[:4]] == [
        ("tutor", True, True),
        ("inserted", False, True),
        ("a-kernel-slides-over", True, True),
        ("convolution-visualization", False, True),
    ]
    assert states[4].unlocked is False
    assert Step.objects.get(key="inserted").lesson == lesson()


def test_it_leaves_a_removed_lessons_steps_off_the_map_until_it_comes_back(
    course: Course, student, sync, package_dir: Path
) -> None:
    progress.complete_step(student, lesson(), 1)
    assert open_layers(student, course) == ["input"]
    lesson_file = package_dir / "lessons" / f"{LESSON}.toml"
    text = lesson_file.read_text(encoding="utf-8")
    rewrite(package_dir / "course.toml", f', "{LESSON}"', "")
    lesson_file.unlink()
    assert sync().retired == {"lesson": 1}
    assert open_layers(student, course) == []
    rewrite(package_dir / "course.toml", '"feature-maps-dialogue"', f'"feature-maps-dialogue", "{LESSON}"')
    lesson_file.write_text(text, encoding="utf-8")
    sync()
    assert open_layers(student, course) == ["input"]


def test_it_counts_progress_per_lesson(course: Course, student) -> None:
    progress.complete_step(student, lesson(), 1)
    counts = progress.lesson_progress(student, course)
    assert counts[lesson().pk] == (1, 7)
    assert counts[lesson("pooling-in-practice").pk] == (0, 6)


def test_it_gives_each_student_their_own_variant_of_a_generated_check(
    sync, package_dir: Path, student, other_student
) -> None:
    from stride.courses.models import Course
    from tests.courses.conftest import rewrite as edit

    edit(
        package_dir / "lessons" / "pooling-in-practice.toml",
        '[[steps]]\nid = "max-pool"',
        '[[steps]]\nid = "generated-check"\ntype = "check"\n\n  [steps.question]\n  id = "same-size"\n'
        '  type = "numeric"\n  prompt = "n={n}, k={k}, s={s}: output size with same padding?"\n'
        '  generator = "same_output_size"\n\n[[steps]]\nid = "max-pool"',
    )
    sync()
    course = Course.objects.get()
    step = Step.objects.get(key="generated-check")
    number = step.position + 1
    pooling = lesson("pooling-in-practice")
    for before in range(1, number):
        StepProgress.objects.get_or_create(user=student, step=pooling.steps.get(position=before - 1))
    mine = progress.check_variant(student, step)
    assert mine == progress.check_variant(student, step)  # the same variant on every request
    assert "{n}" not in mine.prompt and f"n={mine.params['n']}" in mine.prompt
    expected = -(-mine.params["n"] // mine.params["s"])  # ceil(n / s)
    assert mine.answer == expected
    with pytest.raises(progress.NotCompleted):
        progress.complete_step(student, pooling, number, expected + 1)
    state, feedback = progress.complete_step(student, pooling, number, expected)
    assert state.completed and feedback["correct"]
    # Another student's variant is graded against their own parameters, not this one's.
    theirs = progress.check_variant(other_student, step)
    assert theirs.answer == -(-theirs.params["n"] // theirs.params["s"])
    assert course.version
