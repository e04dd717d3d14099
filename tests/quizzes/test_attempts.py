"""submit_attempt: grading against the student's own variants, windows, limits, and concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from stride.api.views import ApiError
from stride.courses.markdown import render_markdown
from stride.glossary.linking import glossary_terms
from stride.offerings.models import Enrollment, GradedItem, Offering
from stride.quizzes import attempts
from stride.quizzes.attempts import availability, public_results, submit_attempt
from stride.quizzes.models import Quiz, QuizAttempt
from stride.quizzes.variants import variant_for


def perfect(user, quiz: Quiz) -> dict:
    """The right answer to every question of ``user``'s variant, as a form would send it."""
    answers = {}
    for question in attempts.quiz_questions(quiz):
        answer = variant_for(user, question).answer
        answers[question.key] = answer[0] if question.type == "text" else answer
    return answers


def explanation(quiz: Quiz, key: str) -> str:
    """The question's explanation as students get it: rendered, glossary terms linked."""
    text = quiz.questions.get(key=key).explanation
    assert text
    return render_markdown(text, glossary_terms(quiz.course))


def refused(code: str, call) -> ApiError:
    with pytest.raises(ApiError) as caught:
        call()
    assert (caught.value.status, caught.value.error) == (403 if code != "invalid_field" else 400, code), (
        caught.value.detail
    )
    return caught.value


def item(offering: Offering, quiz: Quiz, **rules) -> GradedItem:
    return GradedItem.objects.create(offering=offering, quiz=quiz, **rules)


# -- grading ----------------------------------------------------------------------------------


def test_it_gives_full_marks_for_the_right_answers_to_the_students_own_variants(student, pooling_quiz) -> None:
    attempt = submit_attempt(student, pooling_quiz, perfect(student, pooling_quiz))
    assert attempt.number == 1
    assert attempt.score == 1.0
    assert attempt.points == attempt.max_points == 15.0
    assert all(r["correct"] for r in attempt.results)
    assert [r["key"] for r in attempt.results] == [q.key for q in attempts.quiz_questions(pooling_quiz)]


def test_another_students_answers_to_generated_questions_are_wrong(student, other_student, pooling_quiz) -> None:
    attempt = submit_attempt(student, pooling_quiz, perfect(other_student, pooling_quiz))
    wrong = {r["key"] for r in attempt.results if not r["correct"]}
    generated = {q.key for q in attempts.quiz_questions(pooling_quiz) if q.generator}
    assert wrong and wrong <= generated  # the fixed questions are the same for both; variants differ


def test_it_stores_what_each_question_got(student, pooling_quiz) -> None:
    answers = {"q4-stride-two": 15, "q9-max-pool-fixed": [[6, 2], [2, 8]], "q1-same-meaning": None}
    attempt = submit_attempt(student, pooling_quiz, answers)
    results = {r["key"]: r for r in attempt.results}
    assert results["q4-stride-two"] | {"explanation_html": "", "params": {}} == {
        "key": "q4-stride-two",
        "type": "numeric",
        "correct": False,
        "points": 0.0,
        "max_points": 1.0,
        "message": "15 is not the answer",
        "answer": 15,
        "correct_answer": 16,
        "explanation_html": "",
        "params": {},
    }
    assert results["q4-stride-two"]["explanation_html"] == explanation(pooling_quiz, "q4-stride-two")
    assert results["q9-max-pool-fixed"]["correct"] and results["q9-max-pool-fixed"]["points"] == 1.0
    assert results["q1-same-meaning"]["message"] == "not answered"  # null means unanswered
    assert results["q2-pooling-benefits"]["message"] == "not answered"  # and so does leaving it out
    assert results["q11-max-pool-variant"]["params"] == variant_for(student, _question(pooling_quiz, "q11")).params
    assert attempt.score == pytest.approx(1 / 15)
    assert attempt.answers == answers


def _question(quiz: Quiz, prefix: str):
    return next(q for q in attempts.quiz_questions(quiz) if q.key.startswith(prefix + "-"))


def test_an_empty_attempt_scores_zero(student, kernels_quiz) -> None:
    attempt = submit_attempt(student, kernels_quiz, {})
    assert (attempt.score, attempt.points, attempt.max_points) == (0.0, 0.0, 11.0)


def test_it_refuses_unknown_question_keys_and_stores_nothing(student, pooling_quiz) -> None:
    error = refused("invalid_field", lambda: submit_attempt(student, pooling_quiz, {"q99": 1, "q1-same-meaning": "x"}))
    assert "'q99'" in error.detail
    assert not QuizAttempt.objects.exists()


def test_it_refuses_malformed_answers_naming_them_and_stores_nothing(student, pooling_quiz) -> None:
    error = refused(
        "invalid_field",
        lambda: submit_attempt(student, pooling_quiz, {"q9-max-pool-fixed": "6 2 2 8", "q3-relu-linear": 1}),
    )
    assert "q9-max-pool-fixed: expected a grid" in error.detail
    assert "q3-relu-linear: expected true or false" in error.detail
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize("answers", [[], "answers", 3, None])
def test_it_refuses_answers_that_are_not_an_object(student, pooling_quiz, answers) -> None:
    refused("invalid_field", lambda: submit_attempt(student, pooling_quiz, answers))


def test_it_leaves_retired_questions_out(student, pooling_quiz) -> None:
    pooling_quiz.questions.filter(key="q1-same-meaning").update(retired=True)
    attempt = submit_attempt(student, pooling_quiz, {})
    assert attempt.max_points == 14.0
    refused("invalid_field", lambda: submit_attempt(student, pooling_quiz, {"q1-same-meaning": "It is the same"}))


def test_it_refuses_someone_who_does_not_take_the_course(make_user, pooling_quiz) -> None:
    outsider = make_user("outsider")
    with pytest.raises(ApiError) as caught:
        submit_attempt(outsider, pooling_quiz, {})
    assert (caught.value.status, caught.value.error) == (403, "forbidden")


# -- windows and limits ------------------------------------------------------------------------


def test_without_a_graded_item_a_quiz_is_open_and_unlimited(student, kernels_quiz) -> None:
    numbers = [submit_attempt(student, kernels_quiz, {}).number for _ in range(4)]
    assert numbers == [1, 2, 3, 4]
    found = availability(student, kernels_quiz)
    assert (found.state, found.max_attempts, found.used, found.can_attempt) == ("open", None, 4, True)


def test_it_refuses_before_the_window_opens_and_accepts_from_the_moment_it_does(
    student, offering, kernels_quiz
) -> None:
    opens = timezone.now() + timedelta(hours=1)
    item(offering, kernels_quiz, opens_at=opens)
    error = refused("not_open", lambda: submit_attempt(student, kernels_quiz, {}, now=opens - timedelta(seconds=1)))
    assert opens.isoformat() in error.detail
    assert submit_attempt(student, kernels_quiz, {}, now=opens).number == 1


def test_it_refuses_from_the_moment_the_window_closes(student, offering, kernels_quiz) -> None:
    closes = timezone.now() + timedelta(hours=1)
    item(offering, kernels_quiz, closes_at=closes)
    assert submit_attempt(student, kernels_quiz, {}, now=closes - timedelta(microseconds=1)).number == 1
    refused("closed", lambda: submit_attempt(student, kernels_quiz, {}, now=closes))
    refused("closed", lambda: submit_attempt(student, kernels_quiz, {}, now=closes + timedelta(days=3)))
    assert QuizAttempt.objects.count() == 1


def test_it_refuses_once_the_attempts_are_used(student, offering, kernels_quiz) -> None:
    item(offering, kernels_quiz, max_attempts=2)
    submit_attempt(student, kernels_quiz, {})
    assert availability(student, kernels_quiz).remaining == 1
    submit_attempt(student, kernels_quiz, {})
    error = refused("attempt_limit", lambda: submit_attempt(student, kernels_quiz, {}))
    assert "all 2 attempts" in error.detail
    assert QuizAttempt.objects.filter(user=student).count() == 2
    assert not availability(student, kernels_quiz).can_attempt


def test_limits_count_each_student_and_each_quiz_separately(
    student, other_student, offering, kernels_quiz, pooling_quiz
) -> None:
    item(offering, kernels_quiz, max_attempts=1)
    submit_attempt(student, kernels_quiz, {})
    refused("attempt_limit", lambda: submit_attempt(student, kernels_quiz, {}))
    assert submit_attempt(other_student, kernels_quiz, {}).number == 1
    assert submit_attempt(student, pooling_quiz, {}).number == 1


def test_only_attempts_through_the_current_offering_count(student, offering, course, kernels_quiz) -> None:
    """A student who takes the course again in a new offering starts with its full allowance."""
    submit_attempt(student, kernels_quiz, {})
    rerun = Offering.objects.create(slug="cnn-102", title="How CNNs see, again", course=course)
    Enrollment.objects.create(offering=rerun, user=student)
    item(rerun, kernels_quiz, max_attempts=1)
    attempt = submit_attempt(student, kernels_quiz, {})
    assert (attempt.number, attempt.offering) == (2, rerun)  # numbers go on across offerings
    refused("attempt_limit", lambda: submit_attempt(student, kernels_quiz, {}))


def test_rules_of_another_offering_do_not_apply(student, course, kernels_quiz) -> None:
    other = Offering.objects.create(slug="other", title="Other", course=course)
    item(other, kernels_quiz, max_attempts=0, closes_at=timezone.now() - timedelta(days=1))
    assert submit_attempt(student, kernels_quiz, {}).number == 1


@pytest.mark.parametrize("role", [Enrollment.Role.INSTRUCTOR, Enrollment.Role.TA])
def test_teaching_staff_try_a_quiz_whatever_the_rules(make_user, offering, kernels_quiz, role) -> None:
    teacher = make_user("teacher", offering, role)
    item(offering, kernels_quiz, max_attempts=1, opens_at=timezone.now() + timedelta(days=1))
    assert [submit_attempt(teacher, kernels_quiz, {}).number for _ in range(2)] == [1, 2]
    assert availability(teacher, kernels_quiz).final  # and they always see the answers


def test_site_staff_without_an_enrolment_may_try_a_quiz(make_user, kernels_quiz) -> None:
    staff = make_user("staff", is_staff=True)
    attempt = submit_attempt(staff, kernels_quiz, {})
    assert attempt.offering is None and attempt.number == 1


# -- what a student is shown -----------------------------------------------------------------------


def test_wrong_answers_are_revealed_only_when_no_attempt_is_left(student, offering, pooling_quiz) -> None:
    item(offering, pooling_quiz, max_attempts=2)
    attempt = submit_attempt(student, pooling_quiz, {"q4-stride-two": 15, "q5-valid-size": 24})
    assert not availability(student, pooling_quiz).final
    shown = {r["key"]: r for r in public_results(attempt.results, reveal=False)}
    assert shown["q4-stride-two"]["correct_answer"] is None and shown["q4-stride-two"]["explanation_html"] is None
    assert shown["q4-stride-two"]["message"] == "15 is not the answer"
    assert shown["q5-valid-size"]["correct_answer"] == 24
    assert shown["q5-valid-size"]["explanation_html"] == explanation(pooling_quiz, "q5-valid-size")
    assert "params" not in shown["q4-stride-two"]
    submit_attempt(student, pooling_quiz, {})
    assert availability(student, pooling_quiz).final
    shown = {r["key"]: r for r in public_results(attempt.results, reveal=True)}
    assert shown["q4-stride-two"]["correct_answer"] == 16
    assert shown["q4-stride-two"]["explanation_html"] == explanation(pooling_quiz, "q4-stride-two")


def test_a_closed_quiz_is_final(student, offering, pooling_quiz) -> None:
    item(offering, pooling_quiz, closes_at=timezone.now() - timedelta(minutes=1))
    found = availability(student, pooling_quiz)
    assert found.state == "closed" and found.final and not found.can_attempt and found.shows_questions


def test_a_quiz_not_open_yet_hides_its_questions(student, offering, pooling_quiz) -> None:
    item(offering, pooling_quiz, opens_at=timezone.now() + timedelta(minutes=1))
    assert not availability(student, pooling_quiz).shows_questions


# -- several attempts at once ------------------------------------------------------------------------


def test_the_database_refuses_two_attempts_with_the_same_number(student, kernels_quiz) -> None:
    submit_attempt(student, kernels_quiz, {})
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttempt.objects.create(user=student, quiz=kernels_quiz, number=1, score=0, points=0, max_points=0)


def test_it_retries_when_another_attempt_took_its_number(student, kernels_quiz, monkeypatch) -> None:
    """Where row locks do nothing (SQLite), a racing insert is caught by the unique number."""
    submit_attempt(student, kernels_quiz, {})  # the racer, stored between our read and our insert
    stale = iter([1])
    real = attempts.next_number
    monkeypatch.setattr(attempts, "next_number", lambda user, quiz: next(stale, None) or real(user, quiz))
    assert submit_attempt(student, kernels_quiz, {}).number == 2
    assert sorted(QuizAttempt.objects.values_list("number", flat=True)) == [1, 2]


def test_it_gives_up_with_a_conflict_when_the_number_keeps_colliding(student, kernels_quiz, monkeypatch) -> None:
    submit_attempt(student, kernels_quiz, {})
    monkeypatch.setattr(attempts, "next_number", lambda user, quiz: 1)
    with pytest.raises(ApiError) as caught:
        submit_attempt(student, kernels_quiz, {})
    assert (caught.value.status, caught.value.error) == (409, "conflict")
    assert QuizAttempt.objects.count() == 1


def _at_once(count: int, call) -> list[object]:
    """Run ``call`` in ``count`` threads released together, each on its own database connection."""
    start = threading.Barrier(count)
    outcomes: list[object] = []

    def one() -> None:
        try:
            start.wait(timeout=10)
            try:
                outcomes.append(call())
            except ApiError as error:
                outcomes.append(error.error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_attempts_at_once_never_exceed_the_limit(student, offering, kernels_quiz) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers anyway; the row lock matters on PostgreSQL (the number test above)")
    item(offering, kernels_quiz, max_attempts=3)
    outcomes = _at_once(8, lambda: submit_attempt(student, kernels_quiz, {}).number)
    assert sorted(outcomes, key=str) == [1, 2, 3] + ["attempt_limit"] * 5
    assert sorted(QuizAttempt.objects.filter(user=student).values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.django_db(transaction=True)
def test_unlimited_attempts_at_once_get_distinct_numbers(student, kernels_quiz) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serializes writers anyway; the row lock matters on PostgreSQL")
    outcomes = _at_once(8, lambda: submit_attempt(student, kernels_quiz, {}).number)
    assert sorted(outcomes) == list(range(1, 9))
