"""The quiz page: the student's own variant of every question as form inputs, attempts and feedback."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from stride.offerings.models import GradedItem, Offering
from stride.quizzes.attempts import quiz_questions
from stride.quizzes.models import Question, Quiz, QuizAttempt
from stride.quizzes.variants import render_param, variant_for
from tests.web.conftest import Visitor


@pytest.fixture
def quiz(course) -> Quiz:
    return Quiz.objects.get(course=course, key="kernels-and-feature-maps")


def url(quiz: Quiz) -> str:
    return f"/quizzes/{quiz.pk}/"


def right_answers(user, quiz: Quiz) -> dict[str, Any]:
    """Form fields answering every question of ``user``'s variant correctly."""
    data: dict[str, Any] = {}
    for question in quiz_questions(quiz):
        answer, name = variant_for(user, question).answer, f"q-{question.key}"
        if question.type == "matrix":
            for r, row in enumerate(answer):
                for c, cell in enumerate(row):
                    data[f"{name}-r{r}-c{c}"] = render_param(cell)
        elif question.type == "true_false":
            data[name] = "true" if answer else "false"
        elif question.type == "text":
            data[name] = answer[0]
        elif question.type == "numeric":
            data[name] = render_param(answer)
        else:
            data[name] = answer
    return data


def badges(html: str) -> list[str]:
    return re.findall(r'data-feedback="(correct|incorrect)"', html)


def limit(offering: Offering, quiz: Quiz, **fields: Any) -> GradedItem:
    return GradedItem.objects.create(offering=offering, quiz=quiz, **fields)


def test_it_sends_anonymous_visitors_to_log_in(quiz: Quiz, anonymous: Visitor) -> None:
    response = anonymous.client.get(url(quiz))
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url(quiz)}"


def test_it_shows_every_question_type_as_labelled_inputs(quiz: Quiz, student: Visitor) -> None:
    response = student.client.get(url(quiz))
    assert response.status_code == 200
    html = response.content.decode()
    questions = quiz_questions(quiz)
    assert html.count('<fieldset class="question') == len(questions)
    assert html.count('<legend class="question-title">') == len(questions)
    assert 'type="radio" id="q-q1-what-is-kernel-0" name="q-q1-what-is-kernel"' in html
    assert 'type="checkbox" id="q-q2-why-conv-not-dense-0" name="q-q2-why-conv-not-dense"' in html
    assert 'name="q-q3-flipped" value="true"' in html and 'name="q-q3-flipped" value="false"' in html
    assert '<label for="q-q4-param-count">' in html and 'inputmode="decimal" id="q-q4-param-count"' in html
    assert '<label for="q-q5-name-output">Your answer</label>' in html
    cells = re.findall(r'<input type="text" inputmode="decimal" id="(q-q6-conv-matrix-r\d-c\d)"', html)
    assert cells == [f"q-q6-conv-matrix-r{r}-c{c}" for r in range(3) for c in range(3)]
    assert '<label class="visually-hidden" for="q-q6-conv-matrix-r2-c1">Row 3, column 2</label>' in html
    assert 'name="csrfmiddlewaretoken"' in html and "Submit answers" in html
    assert "unlimited" in html  # attempts left without a graded item


def test_it_shows_each_student_their_own_variant(quiz: Quiz, student: Visitor, other_student: Visitor) -> None:
    question = Question.objects.get(quiz=quiz, key="q8-relu-grid")
    for visitor in (student, other_student):
        html = visitor.client.get(url(quiz)).content.decode()
        variant = variant_for(visitor.user, question)
        assert render_param(variant.params["grid"]) in html
        rows, cols = len(variant.answer), len(variant.answer[0])
        assert f'id="q-q8-relu-grid-r{rows - 1}-c{cols - 1}"' in html
        assert f'id="q-q8-relu-grid-r{rows}-c0"' not in html


def test_it_grades_a_submitted_attempt_and_stores_it(quiz: Quiz, student: Visitor) -> None:
    response = student.client.post(url(quiz), right_answers(student.user, quiz))
    assert response.status_code == 200
    html = response.content.decode()
    attempt = QuizAttempt.objects.get(user=student.user, quiz=quiz)
    assert attempt.number == 1 and attempt.score == 1.0
    assert badges(html) == ["correct"] * len(quiz_questions(quiz))
    assert "Attempt 1 submitted" in html and "<strong data-score>100%</strong>" in html
    # A right answer shows its explanation (the answer itself needs no repeating).
    assert "Since the weights are learned, flipping would make no practical difference" in html
    assert "Correct answer:" not in html
    assert "Submit a new attempt" in html


def test_it_hides_the_correct_answer_of_a_wrong_one_while_attempts_remain(quiz: Quiz, student: Visitor) -> None:
    data = right_answers(student.user, quiz)
    data["q-q1-what-is-kernel"] = "The full image after it has been flattened"
    html = student.client.post(url(quiz), data).content.decode()
    q1 = html[html.index('id="question-q1-what-is-kernel"') : html.index('id="question-q2-why-conv-not-dense"')]
    assert 'data-feedback="incorrect"' in q1 and "is not the right choice" in q1
    assert "Correct answer" not in q1 and "Zeroing negatives is ReLU" not in q1
    # The student's choice stays selected for the next attempt.
    assert 'value="The full image after it has been flattened" checked' in q1


def test_it_reveals_answers_once_the_last_attempt_is_used(quiz: Quiz, offering: Offering, student: Visitor) -> None:
    limit(offering, quiz, max_attempts=1)
    data = right_answers(student.user, quiz)
    data["q-q4-param-count"] = "864"
    data["q-q5-name-output"] = "kernel"
    data["q-q6-conv-matrix-r0-c0"] = "2"
    html = student.client.post(url(quiz), data).content.decode()
    q4 = html[html.index('id="question-q4-param-count"') : html.index('id="question-q5-name-output"')]
    assert "Correct answer: <strong>896</strong>" in q4 and "32 × 28 = 896" in q4
    q5 = html[html.index('id="question-q5-name-output"') : html.index('id="question-q6-conv-matrix"')]
    assert "Correct answer: <strong>feature map</strong>" in q5 and "also accepted: activation map" in q5
    q6 = html[html.index('id="question-q6-conv-matrix"') : html.index('id="question-q7-patch-value"')]
    assert "<caption>Correct answer</caption>" in q6 and "<td>-2</td>" in q6
    assert "Submit a new attempt" not in html and "You have used all 1 attempt at this quiz." in html
    again = student.client.post(url(quiz), data)
    assert again.status_code == 403 and QuizAttempt.objects.filter(user=student.user).count() == 1
    assert b"Your answers were not submitted." in again.content


def test_it_shows_the_latest_attempt_when_the_page_is_opened_again(quiz: Quiz, student: Visitor) -> None:
    student.client.post(url(quiz), {"q-q3-flipped": "false"})
    html = student.client.get(url(quiz)).content.decode()
    assert "Your latest attempt (1)" in html
    assert 'name="q-q3-flipped" value="false" checked' in html
    assert badges(html).count("correct") == 1  # only q3 was answered
    assert "not answered" in html.lower()


def test_it_counts_blank_fields_as_unanswered_not_malformed(quiz: Quiz, student: Visitor) -> None:
    response = student.client.post(url(quiz), {"q-q4-param-count": "", "q-q6-conv-matrix-r0-c0": ""})
    assert response.status_code == 200
    attempt = QuizAttempt.objects.get(user=student.user)
    assert attempt.score == 0.0 and attempt.answers["q4-param-count"] is None


def test_it_refuses_a_half_filled_grid_without_using_an_attempt(quiz: Quiz, student: Visitor) -> None:
    response = student.client.post(url(quiz), {"q-q6-conv-matrix-r0-c0": "-2", "q-q4-param-count": "896"})
    assert response.status_code == 422 and not QuizAttempt.objects.exists()
    html = response.content.decode()
    assert "Your answers were not submitted." in html and "q6-conv-matrix" in html
    assert 'id="q-q6-conv-matrix-r0-c0" name="q-q6-conv-matrix-r0-c0" value="-2"' in html
    assert 'id="q-q4-param-count" name="q-q4-param-count" value="896"' in html


def test_it_refuses_an_option_that_is_not_offered(quiz: Quiz, student: Visitor) -> None:
    response = student.client.post(url(quiz), {"q-q1-what-is-kernel": "<b>made up</b>"})
    assert response.status_code == 422 and not QuizAttempt.objects.exists()
    assert b"<b>made up</b>" not in response.content


def test_it_hides_the_questions_before_the_quiz_opens(quiz: Quiz, offering: Offering, student: Visitor) -> None:
    limit(offering, quiz, opens_at=timezone.now() + timedelta(days=2))
    html = student.client.get(url(quiz)).content.decode()
    assert "This quiz opens on" in html and '<fieldset class="question' not in html
    response = student.client.post(url(quiz), {"q-q3-flipped": "false"})
    assert response.status_code == 403 and not QuizAttempt.objects.exists()


def test_it_refuses_attempts_after_the_quiz_closed(quiz: Quiz, offering: Offering, student: Visitor) -> None:
    limit(offering, quiz, closes_at=timezone.now() - timedelta(hours=1))
    html = student.client.get(url(quiz)).content.decode()
    assert "This quiz closed on" in html and "Submit answers" not in html
    response = student.client.post(url(quiz), {"q-q3-flipped": "false"})
    assert response.status_code == 403 and b"This quiz closed on" in response.content
    assert not QuizAttempt.objects.exists()


def test_it_refuses_an_outsider_with_a_403_page(quiz: Quiz, outsider: Visitor) -> None:
    response = outsider.client.get(url(quiz))
    assert response.status_code == 403 and b"You do not take this course" in response.content
    assert b'<fieldset class="question' not in response.content
    denied = outsider.client.post(url(quiz), {"q-q3-flipped": "false"})
    assert denied.status_code == 403 and not QuizAttempt.objects.exists()


def test_it_answers_404_for_an_unknown_or_retired_quiz(quiz: Quiz, student: Visitor) -> None:
    assert student.client.get("/quizzes/999999/").status_code == 404
    assert student.client.get("/quizzes/99999999999999999999999/").status_code == 404
    Quiz.objects.filter(pk=quiz.pk).update(retired=True)
    assert student.client.get(url(quiz)).status_code == 404


def test_it_allows_only_get_and_post(quiz: Quiz, student: Visitor) -> None:
    assert student.client.put(url(quiz)).status_code == 405
    assert student.client.patch(url(quiz)).status_code == 405


def test_it_refuses_an_attempt_without_the_csrf_token(quiz: Quiz, student: Visitor) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(student.user)
    response = client.post(url(quiz), right_answers(student.user, quiz))
    assert response.status_code == 403 and not QuizAttempt.objects.exists()


def test_it_does_not_count_the_same_form_twice(quiz: Quiz, offering: Offering, student: Visitor) -> None:
    limit(offering, quiz, max_attempts=2)
    page = student.client.get(url(quiz)).content.decode()
    assert '<input type="hidden" name="after_attempt" value="0">' in page
    data = {**right_answers(student.user, quiz), "after_attempt": "0"}
    first = student.client.post(url(quiz), data)
    assert first.status_code == 200 and '<input type="hidden" name="after_attempt" value="1">' in first.content.decode()
    # A double click or a reload of the answer page sends the same form again: not a second attempt.
    again = student.client.post(url(quiz), data)
    assert again.status_code == 200 and QuizAttempt.objects.filter(user=student.user).count() == 1
    html = again.content.decode()
    assert "no further attempt was counted" in html and "<strong data-score>100%</strong>" in html
    assert "1 attempt left" in html
    # The form of the answer page makes the second attempt.
    assert student.client.post(url(quiz), {**data, "after_attempt": "1"}).status_code == 200
    assert QuizAttempt.objects.filter(user=student.user).count() == 2


def test_it_keeps_the_answers_of_an_out_of_date_page_without_counting_them(quiz: Quiz, student: Visitor) -> None:
    student.client.post(url(quiz), {"q-q3-flipped": "false", "after_attempt": "0"})
    stale = student.client.post(url(quiz), {"q-q4-param-count": "896", "after_attempt": "0"})
    assert stale.status_code == 409 and QuizAttempt.objects.filter(user=student.user).count() == 1
    html = stale.content.decode()
    assert "Attempt 1 was submitted since this page was loaded" in html
    assert 'id="q-q4-param-count" name="q-q4-param-count" value="896"' in html
