"""The lesson player: step N / M, the map, each step type, completing steps by form."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from stride.courses.models import Lesson, StepProgress
from stride.exercises.models import Exercise
from stride.submissions.models import Submission
from tests.web.conftest import Visitor


@pytest.fixture
def lesson(course) -> Lesson:
    return Lesson.objects.get(key="how-a-cnn-extracts-features")


def url(lesson: Lesson, step: int | None = None) -> str:
    return f"/lessons/{lesson.pk}/" + (f"?step={step}" if step else "")


def unlocked_layers(html: str) -> list[str]:
    return re.findall(r'data-layer="([\w-]+)" data-unlocked="true"', html)


def test_it_opens_on_the_first_step_with_the_tutor_and_a_locked_map(lesson: Lesson, student: Visitor) -> None:
    html = student.client.get(url(lesson)).content.decode()
    assert "Step 1 / 7" in html and "Ada says" in html
    assert unlocked_layers(html) == []
    assert "Mark as read and continue" in html
    # The locked step says so in text a screen reader reads (aria-label on a plain span is not read).
    assert '<span class="visually-hidden">Step </span>2<span class="visually-hidden">, locked</span>' in html


def test_it_completes_read_steps_and_unlocks_layers(lesson: Lesson, student: Visitor) -> None:
    response = student.client.post(url(lesson), {"step": "1"})
    assert response.status_code == 302 and response["Location"] == url(lesson, 2)
    html = student.client.get(response["Location"]).content.decode()
    assert "Step 2 / 7" in html and unlocked_layers(html) == ["input"]
    assert "Explanation" in html and "Analogy" in html


def test_it_redirects_a_locked_step_to_the_next_step_to_do(lesson: Lesson, student: Visitor) -> None:
    response = student.client.get(url(lesson, 5))
    assert response.status_code == 302 and response["Location"] == url(lesson, 1)
    forced = student.client.post(url(lesson), {"step": "5"})
    assert forced.status_code == 302 and not StepProgress.objects.exists()


def test_it_embeds_the_visualizer_params_for_the_script(lesson: Lesson, student: Visitor) -> None:
    for step in (1, 2):
        student.client.post(url(lesson), {"step": str(step)})
    html = student.client.get(url(lesson, 3)).content.decode()
    block = re.search(r'<script type="application/json" class="visualizer-params">(.*?)</script>', html, re.S)
    import json

    params = json.loads(block.group(1))
    assert params["kernel"] == [[-1, 0, 1]] * 3 and params["output"] == [[0.0, 27.0, 27.0, 0.0]] * 4
    assert "data-visualizer" in html


def walk_to_check(lesson: Lesson, student: Visitor) -> None:
    for step in (1, 2, 3, 4):
        student.client.post(url(lesson), {"step": str(step)})


def test_it_grades_a_check_question_and_gates_the_next_step(lesson: Lesson, student: Visitor) -> None:
    walk_to_check(lesson, student)
    html = student.client.get(url(lesson, 5)).content.decode()
    assert 'type="radio" name="q-second-layer-input"' in html and "Check my answer" in html
    wrong = student.client.post(
        url(lesson), {"step": "5", "q-second-layer-input": "A flattened vector of the first layer's outputs"}
    )
    assert wrong.status_code == 422 and b"Not yet." in wrong.content
    right = student.client.post(
        url(lesson), {"step": "5", "q-second-layer-input": "The stack of feature maps produced by the first block"}
    )
    assert right.status_code == 302 and right["Location"] == url(lesson, 6)
    assert "conv2" in unlocked_layers(student.client.get(url(lesson, 6)).content.decode())


def test_it_asks_for_a_passed_exercise_before_the_last_step(lesson: Lesson, student: Visitor) -> None:
    walk_to_check(lesson, student)
    student.client.post(
        url(lesson), {"step": "5", "q-second-layer-input": "The stack of feature maps produced by the first block"}
    )
    student.client.post(url(lesson), {"step": "6"})
    html = student.client.get(url(lesson, 7)).content.decode()
    assert 'href="/exercises/conv2d/"' in html and "Pass the exercise to continue." in html
    conv2d = Exercise.objects.get(slug="conv2d")
    Submission.objects.create(
        user=student.user, exercise=conv2d, exercise_version="v", code="", status="graded", score=1.0
    )
    assert student.client.post(url(lesson), {"step": "7"}).status_code == 302
    html = student.client.get(url(lesson, 7)).content.decode()
    assert len(unlocked_layers(html)) == 7 and "Back to the course" in html


def test_it_shows_the_other_step_types(course, student: Visitor) -> None:
    dialogue = Lesson.objects.get(key="feature-maps-dialogue")
    student.client.post(f"/lessons/{dialogue.pk}/", {"step": "1"})  # the tutor's welcome
    html = student.client.get(f"/lessons/{dialogue.pk}/?step=2").content.decode()
    assert 'class="dialogue"' in html and "data-read-aloud" in html and "role-teacher" in html
    # Only the script can speak: without it the button would do nothing, so it starts hidden.
    assert re.search(r"<button [^>]*data-read-aloud hidden>Read aloud</button>", html)
    overview = Lesson.objects.get(key="convolution-at-three-depths")
    student.client.post(f"/lessons/{overview.pk}/", {"step": "1"})
    html = student.client.get(f"/lessons/{overview.pk}/?step=2").content.decode()
    assert 'name="depth" value="detailed"' in html and 'class="depth depth-medium prose"' in html


def test_it_links_glossary_terms_in_lesson_text(lesson: Lesson, student: Visitor) -> None:
    html = student.client.get(url(lesson)).content.decode()
    assert re.search(r'<a class="term" href="/glossary/#term-[\w-]+" data-term="[\w-]+" title="[^"]+"', html)


def test_it_refuses_outsiders_and_sends_anonymous_visitors_to_log_in(
    lesson: Lesson, outsider: Visitor, anonymous: Visitor
) -> None:
    assert outsider.client.get(url(lesson)).status_code == 403
    assert outsider.client.post(url(lesson), {"step": "1"}).status_code == 403
    response = anonymous.client.get(url(lesson))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert not StepProgress.objects.exists()


def test_it_refuses_a_post_without_csrf_token(lesson: Lesson, student: Visitor) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(student.user)
    assert strict.post(url(lesson), {"step": "1"}).status_code == 403
    assert not StepProgress.objects.exists()


def test_it_answers_404_for_unknown_or_retired_lessons(lesson: Lesson, student: Visitor) -> None:
    assert student.client.get("/lessons/999999/").status_code == 404
    Lesson.objects.filter(pk=lesson.pk).update(retired=True)
    assert student.client.get(url(lesson)).status_code == 404


def test_it_treats_nonsense_step_numbers_calmly(lesson: Lesson, student: Visitor) -> None:
    for raw in ("abc", "0", "-3", "99999999999", "²", "1²"):
        assert student.client.get(f"/lessons/{lesson.pk}/?step={raw}").status_code in (200, 302)
        assert student.client.post(url(lesson), {"step": raw}).status_code in (302, 422)
