"""GET /api/lessons/{id} and POST /api/lessons/{id}/steps/{n}/complete."""

from __future__ import annotations

import pytest

from stride.courses.models import Course, Lesson, StepProgress
from stride.exercises.models import Exercise
from stride.submissions.models import Submission
from tests.api.support import Persona, assert_error


@pytest.fixture
def lesson(course: Course) -> Lesson:
    return Lesson.objects.get(key="how-a-cnn-extracts-features")


def url(lesson: Lesson, number: int | None = None) -> str:
    return f"/api/lessons/{lesson.pk}" + (f"/steps/{number}/complete" if number is not None else "")


def complete(persona: Persona, lesson: Lesson, number: int, **body) -> dict:
    response = persona.api.post_json(url(lesson, number), body)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_shows_the_first_step_and_hides_the_locked_ones(lesson: Lesson, student_a: Persona) -> None:
    body = student_a.api.get(url(lesson)).json()
    assert (body["number"], body["course"], body["tutor"], body["next_step"]) == ("6.2.2.2", "cnn-features", "Ada", 1)
    first, second = body["steps"][0], body["steps"][1]
    assert first["unlocked"] and not first["completed"] and first["unlocks"] == "input"
    assert "Hi, I" in first["content"]["text_html"] and "<strong>input</strong>" in first["content"]["text_html"]
    assert second == {
        "number": 2,
        "key": "a-kernel-slides-over",
        "type": "explanation",
        "complete": "read",
        "unlocks": "conv",
        "completed": False,
        "unlocked": False,
        "content": None,
    }


def test_it_completes_steps_in_order_and_unlocks_the_map(lesson: Lesson, student_a: Persona) -> None:
    done = complete(student_a, lesson, 1)
    assert done["completed"] is True and done["next_step"] == 2
    assert [layer["layer"] for layer in done["architecture_map"] if layer["unlocked"]] == ["input"]
    body = student_a.api.get(url(lesson)).json()
    assert body["steps"][1]["unlocked"] and body["steps"][1]["content"]["analogy_html"].startswith("<p>")
    # Completing it again is harmless.
    assert complete(student_a, lesson, 1)["next_step"] == 2
    assert StepProgress.objects.filter(user=student_a.user).count() == 1


def test_it_sends_the_visualizations_kernel_and_output(lesson: Lesson, student_a: Persona) -> None:
    for number in (1, 2):
        complete(student_a, lesson, number)
    step = student_a.api.get(url(lesson)).json()["steps"][2]
    params = step["content"]["params"]
    assert step["type"] == "visualization" and params["preset"] == "vertical-edge"
    assert params["kernel"] == [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]]
    assert params["output"] == [[0.0, 27.0, 27.0, 0.0]] * 4


def test_it_refuses_a_locked_step_with_409(lesson: Lesson, student_a: Persona) -> None:
    assert_error(student_a.api.post_json(url(lesson, 3), {}), 409, "conflict")
    assert not StepProgress.objects.filter(user=student_a.user).exists()


def walk_to_check(persona: Persona, lesson: Lesson) -> dict:
    for number in (1, 2, 3, 4):
        complete(persona, lesson, number)
    return persona.api.get(url(lesson)).json()["steps"][4]


def test_it_grades_a_check_step_and_never_shows_its_answer(lesson: Lesson, student_a: Persona) -> None:
    check = walk_to_check(student_a, lesson)
    question = check["content"]["question"]
    assert check["type"] == "check" and "answer" not in question and "explanation_html" not in question
    answer = lesson.steps.get(key="check-second-layer-input").question["answer"]
    wrong = next(option for option in question["options"] if option != answer)

    missed = complete(student_a, lesson, 5, answer=wrong)
    assert missed["completed"] is False and missed["feedback"]["correct"] is False
    assert missed["step"]["completed"] is False and missed["next_step"] == 5

    hit = complete(student_a, lesson, 5, answer=answer)
    assert hit["completed"] is True and hit["feedback"]["correct"] is True
    assert hit["feedback"]["explanation_html"].startswith("<p>")
    assert hit["step"]["content"]["question"]["explanation_html"]
    assert "conv2" in [layer["layer"] for layer in hit["architecture_map"] if layer["unlocked"]]


def test_it_asks_for_an_answer_on_a_check_step(lesson: Lesson, student_a: Persona) -> None:
    walk_to_check(student_a, lesson)
    body = assert_error(student_a.api.post_json(url(lesson, 5), {}), 400, "invalid_field")
    assert '"answer"' in body["detail"]


def test_it_completes_an_exercise_step_once_the_exercise_is_passed(lesson: Lesson, student_a: Persona) -> None:
    walk_to_check(student_a, lesson)
    complete(student_a, lesson, 5, answer=lesson.steps.get(key="check-second-layer-input").question["answer"])
    complete(student_a, lesson, 6)
    exercise_step = student_a.api.get(url(lesson)).json()["steps"][6]
    assert exercise_step["content"]["exercise"] == "conv2d" and exercise_step["content"]["function"] == "conv2d"
    body = assert_error(student_a.api.post_json(url(lesson, 7), {}), 409, "conflict")
    assert "conv2d" in body["detail"]
    conv2d = Exercise.objects.get(slug="conv2d")
    Submission.objects.create(
        user=student_a.user, exercise=conv2d, exercise_version=conv2d.version, code="", status="graded", score=1.0
    )
    done = complete(student_a, lesson, 7)
    assert done["completed"] is True and done["next_step"] is None


def test_it_keeps_each_students_progress_apart(lesson: Lesson, student_a: Persona, student_b: Persona) -> None:
    complete(student_a, lesson, 1)
    assert student_b.api.get(url(lesson)).json()["steps"][0]["completed"] is False


def test_it_refuses_outsiders_and_anonymous_callers(lesson: Lesson, outsider: Persona, anonymous: Persona) -> None:
    assert_error(outsider.api.get(url(lesson)), 403, "forbidden")
    assert_error(outsider.api.post_json(url(lesson, 1), {}), 403, "forbidden")
    assert_error(anonymous.api.get(url(lesson)), 401, "unauthenticated")
    assert_error(anonymous.api.post_json(url(lesson, 1), {}), 401, "unauthenticated")
    assert not StepProgress.objects.exists()


def test_it_lets_teachers_and_staff_follow_a_lesson(lesson: Lesson, instructor: Persona, staff: Persona) -> None:
    assert instructor.api.get(url(lesson)).status_code == 200
    assert complete(staff, lesson, 1)["completed"] is True


def test_it_answers_404_for_unknown_lessons_and_steps(lesson: Lesson, student_a: Persona) -> None:
    assert_error(student_a.api.get("/api/lessons/999999"), 404, "not_found")
    assert_error(student_a.api.get(f"/api/lessons/{2**63}"), 404, "not_found")
    for number in (0, 8, 99999999):
        assert_error(student_a.api.post_json(url(lesson, number), {}), 404, "not_found")
    Lesson.objects.filter(pk=lesson.pk).update(retired=True)
    assert_error(student_a.api.get(url(lesson)), 404, "not_found")


def test_it_reads_a_step_number_with_leading_zeros_as_that_number(lesson: Lesson, student_a: Persona) -> None:
    done = student_a.api.post_json(f"/api/lessons/{lesson.pk}/steps/0001/complete", {})
    assert done.status_code == 200 and done.json()["step"]["number"] == 1
    # The first seven characters of "00000019" read as 1, but the step is 19: there is none.
    for number in ("00000019", "0" * 5000 + "19", "0000000"):
        assert_error(student_a.api.post_json(f"/api/lessons/{lesson.pk}/steps/{number}/complete", {}), 404)
    assert StepProgress.objects.filter(user=student_a.user).count() == 1


def test_it_refuses_bodies_that_are_not_json_objects(lesson: Lesson, student_a: Persona) -> None:
    response = student_a.api.post(url(lesson, 1), "answer=1", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415, "unsupported_media_type")
    response = student_a.api.post(url(lesson, 1), "[1, 2]", content_type="application/json")
    assert_error(response, 400, "invalid_body")
    response = student_a.api.post(url(lesson, 1), "{", content_type="application/json")
    assert_error(response, 400, "invalid_json")
    assert not StepProgress.objects.exists()


def test_it_allows_only_the_documented_methods(lesson: Lesson, student_a: Persona) -> None:
    assert_error(student_a.api.post_json(url(lesson), {}), 405, "method_not_allowed")
    assert_error(student_a.api.get(url(lesson, 1)), 405, "method_not_allowed")
