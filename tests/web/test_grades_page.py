"""The grades page: the caller's own best scores and attempts, per exercise and per quiz."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.utils import dateformat, timezone

from stride.exercises.models import Exercise
from stride.offerings.models import GradedItem
from stride.quizzes.attempts import submit_attempt
from stride.quizzes.models import Quiz
from stride.submissions.models import Submission
from tests.web.conftest import Visitor

URL = "/grades/"


def submit(visitor: Visitor, slug: str, score: float | None, at: datetime) -> Submission:
    """A submission as the pipeline leaves it: graded with ``score``, or still queued (None)."""
    exercise = Exercise.objects.get(slug=slug)
    graded = score is not None
    return Submission.objects.create(
        user=visitor.user,
        exercise=exercise,
        exercise_version=exercise.version,
        code="def f():\n    ...\n",
        status=Submission.Status.GRADED if graded else Submission.Status.QUEUED,
        verdict=("passed" if score == 1.0 else "failed") if graded else "",
        score=score,
        points=score * exercise.max_points if graded else None,
        max_points=exercise.max_points if graded else None,
        created_at=at,
    )


def row(html: str, attribute: str, value: str) -> str:
    match = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return re.sub(r"\s+", " ", match.group(1))


def cells(html: str, attribute: str, value: str) -> list[str]:
    found = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row(html, attribute, value))
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in found]


def test_it_sends_anonymous_visitors_to_log_in(anonymous: Visitor) -> None:
    response = anonymous.client.get(URL)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/grades/"


def test_it_shows_best_score_attempts_and_last_time_per_exercise(course, student: Visitor) -> None:
    now = timezone.now()
    submit(student, "conv2d", 0.32, now - timedelta(hours=3))
    submit(student, "conv2d", 1.0, now - timedelta(hours=2))
    last = submit(student, "conv2d", None, now - timedelta(hours=1))  # still grading: counts as an attempt
    html = student.client.get(URL).content.decode()
    assert "<caption>Code exercises: your best score and attempts</caption>" in html
    title, best, attempts, when = cells(html, "data-exercise", "conv2d")
    assert title == Exercise.objects.get(slug="conv2d").title and best == "100%" and attempts == "3"
    assert when == dateformat.format(timezone.localtime(last.created_at), "j M Y, H:i")
    assert '<a href="/exercises/conv2d/">' in html


def test_it_lists_untried_exercises_too(course, student: Visitor) -> None:
    html = student.client.get(URL).content.decode()
    for exercise in Exercise.objects.all():
        title, best, attempts, when = cells(html, "data-exercise", exercise.slug)
        assert (best, attempts, when) == ("—", "0", "not tried yet")


def test_it_shows_only_the_callers_own_grades(course, student: Visitor, other_student: Visitor) -> None:
    submit(other_student, "relu", 0.5, timezone.now())
    quiz = Quiz.objects.get(course=course, key="kernels-and-feature-maps")
    submit_attempt(other_student.user, quiz, {"q3-flipped": False})
    html = student.client.get(URL).content.decode()
    assert cells(html, "data-exercise", "relu")[1:3] == ["—", "0"]
    assert cells(html, "data-quiz", str(quiz.pk))[1:] == ["—", "0"]


def test_it_shows_best_score_and_attempts_per_quiz(course, offering, student: Visitor) -> None:
    quiz = Quiz.objects.get(course=course, key="kernels-and-feature-maps")
    GradedItem.objects.create(offering=offering, quiz=quiz, max_attempts=3)
    submit_attempt(student.user, quiz, {"q3-flipped": False, "q10-hierarchy": True})
    submit_attempt(student.user, quiz, {"q3-flipped": False})
    html = student.client.get(URL).content.decode()
    assert f"<caption>Quizzes of {course.title}</caption>" in html
    title, best, attempts = cells(html, "data-quiz", str(quiz.pk))
    assert title == quiz.title and attempts == "2 of 3"
    assert best == f"{round(100 * 2 / 11)}%"  # two of eleven one-point questions right
    assert f'<a href="/quizzes/{quiz.pk}/">' in html
    for other in Quiz.objects.filter(course=course, retired=False).exclude(pk=quiz.pk):
        assert cells(html, "data-quiz", str(other.pk))[1:] == ["—", "0"]


def test_it_lists_no_quizzes_for_a_user_without_a_course(course, outsider: Visitor) -> None:
    response = outsider.client.get(URL)
    assert response.status_code == 200
    assert b"data-quiz=" not in response.content and b"Quizzes appear here once you are enrolled" in response.content


def test_it_allows_only_get(course, student: Visitor) -> None:
    assert student.client.post(URL).status_code == 405
    assert student.client.delete(URL).status_code == 405


def test_it_escapes_titles(course, student: Visitor) -> None:
    Exercise.objects.filter(slug="relu").update(title="<img src=x onerror=alert(1)>")
    html = student.client.get(URL).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
