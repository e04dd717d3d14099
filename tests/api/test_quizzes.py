"""The quiz API: GET /api/quizzes, GET /api/quizzes/{id}, GET and POST /api/quizzes/{id}/attempts.

Student A and student B take the offering cnn-101 of the demo course; the instructor
teaches it; the outsider takes nothing; staff is site staff. Every response is also
checked against the OpenAPI document by the test client.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from stride.api.views import MAX_BODY_BYTES
from stride.courses.markdown import render_markdown
from stride.glossary.linking import glossary_terms
from stride.offerings.models import GradedItem, Offering
from stride.quizzes.models import Question, Quiz, QuizAttempt
from stride.quizzes.variants import variant_for
from tests.api.support import Persona, assert_error

POOLING = "stride-padding-pooling"
KERNELS = "kernels-and-feature-maps"
# Members that would give an answer away; none may appear in a GET of a quiz.
ANSWER_KEYS = {"answer", "correct_answer", "answers", "explanation", "explanation_html", "tolerance", "generator",
               "params"}  # fmt: skip


@pytest.fixture
def pooling(course) -> Quiz:
    return Quiz.objects.get(course=course, key=POOLING)


@pytest.fixture
def kernels(course) -> Quiz:
    return Quiz.objects.get(course=course, key=KERNELS)


def url(quiz: Quiz | int, tail: str = "") -> str:
    return f"/api/quizzes/{quiz.pk if isinstance(quiz, Quiz) else quiz}{tail}"


def rules(offering: Offering, quiz: Quiz, **fields: Any) -> GradedItem:
    return GradedItem.objects.create(offering=offering, quiz=quiz, **fields)


def right_answers(persona: Persona, quiz: Quiz) -> dict[str, Any]:
    answers = {}
    for question in Question.objects.filter(quiz=quiz, retired=False).select_related("quiz__course"):
        answer = variant_for(persona.user, question).answer
        answers[question.key] = answer[0] if question.type == "text" else answer
    return answers


def keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys_in(v)}
    return set()


# -- GET /api/quizzes --------------------------------------------------------------------------


def test_it_lists_the_quizzes_of_the_callers_courses(student_a: Persona, pooling: Quiz, kernels: Quiz) -> None:
    response = student_a.api.get("/api/quizzes")
    assert response.status_code == 200
    listed = response.json()["quizzes"]
    assert [q["key"] for q in listed] == [KERNELS, POOLING]
    assert listed[1] == {
        "id": pooling.pk,
        "key": POOLING,
        "title": "Stride, padding, ReLU and pooling",
        "course": "cnn-features",
        "section": pooling.section.number,
        "question_count": 15,
        "state": "open",
        "opens_at": None,
        "closes_at": None,
        "attempts_used": 0,
        "attempts_allowed": None,
        "can_attempt": True,
        "best_score": None,
    }


def test_it_lists_the_offerings_rules_and_the_callers_attempts(
    student_a: Persona, student_b: Persona, offering: Offering, pooling: Quiz
) -> None:
    closes = timezone.now() + timedelta(days=7)
    rules(offering, pooling, max_attempts=3, closes_at=closes)
    student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 16}})
    student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 16, "q5-valid-size": 24}})
    mine = next(q for q in student_a.api.get("/api/quizzes").json()["quizzes"] if q["key"] == POOLING)
    assert mine["attempts_used"] == 2 and mine["attempts_allowed"] == 3 and mine["can_attempt"]
    assert mine["best_score"] == pytest.approx(2 / 15)
    assert abs(datetime.fromisoformat(mine["closes_at"]) - closes) < timedelta(milliseconds=1)
    theirs = next(q for q in student_b.api.get("/api/quizzes").json()["quizzes"] if q["key"] == POOLING)
    assert theirs["attempts_used"] == 0 and theirs["best_score"] is None


def test_it_filters_by_course(student_a: Persona, course) -> None:
    assert len(student_a.api.get("/api/quizzes?course=cnn-features").json()["quizzes"]) == 2
    assert student_a.api.get("/api/quizzes?course=no-such-course").json() == {"quizzes": []}


@pytest.mark.parametrize("value", ["", "not a slug", "x" * 51, "cnn/features"])
def test_it_refuses_a_course_filter_that_is_not_a_slug(student_a: Persona, course, value: str) -> None:
    assert_error(student_a.api.get("/api/quizzes", {"course": value}), 400, "invalid_parameter")


def test_it_lists_nothing_for_an_outsider_and_everything_for_staff(outsider: Persona, staff: Persona, course) -> None:
    assert outsider.api.get("/api/quizzes").json() == {"quizzes": []}
    assert len(staff.api.get("/api/quizzes").json()["quizzes"]) == 2


def test_it_leaves_retired_quizzes_out(student_a: Persona, pooling: Quiz) -> None:
    Quiz.objects.filter(pk=pooling.pk).update(retired=True)
    assert [q["key"] for q in student_a.api.get("/api/quizzes").json()["quizzes"]] == [KERNELS]


def test_it_refuses_anonymous_callers(anonymous: Persona, course) -> None:
    assert_error(anonymous.api.get("/api/quizzes"), 401, "unauthenticated")


# -- GET /api/quizzes/{id} ---------------------------------------------------------------------


def test_it_shows_the_callers_variant_of_every_question_without_answers(student_a: Persona, pooling: Quiz) -> None:
    response = student_a.api.get(url(pooling))
    assert response.status_code == 200
    body = response.json()
    assert body["key"] == POOLING and body["question_count"] == len(body["questions"]) == 15
    assert not keys_in(body) & ANSWER_KEYS
    questions = {q["key"]: q for q in body["questions"]}
    assert questions["q2-pooling-benefits"]["options"][0] == "It keeps the strongest activation of each window"
    assert questions["q9-max-pool-fixed"]["shape"] == {"rows": 2, "cols": 2}
    assert questions["q11-max-pool-variant"]["shape"] == {"rows": 2, "cols": 2}
    assert questions["q4-stride-two"]["shape"] is None
    grid = variant_for(student_a.user, Question.objects.get(quiz=pooling, key="q11-max-pool-variant")).params["grid"]
    assert f"<code>{grid}</code>" in questions["q11-max-pool-variant"]["prompt_html"]
    assert 'data-term="stride"' in questions["q5-valid-size"]["prompt_html"]  # glossary terms are linked
    assert "{grid}" not in response.content.decode()


def test_it_never_sends_a_generated_answer(student_a: Persona, kernels: Quiz) -> None:
    body = student_a.api.get(url(kernels)).json()
    relu = next(q for q in body["questions"] if q["key"] == "q8-relu-grid")
    assert relu["shape"] == {"rows": 3, "cols": 3}
    answer = variant_for(student_a.user, Question.objects.get(quiz=kernels, key="q8-relu-grid")).answer
    assert json.dumps(answer) not in json.dumps(body)


def test_each_student_sees_their_own_variant_every_time(student_a: Persona, student_b: Persona, pooling: Quiz) -> None:
    def prompts(persona: Persona) -> dict[str, str]:
        return {q["key"]: q["prompt_html"] for q in persona.api.get(url(pooling)).json()["questions"]}

    a, b = prompts(student_a), prompts(student_b)
    assert prompts(student_a) == a
    assert a["q1-same-meaning"] == b["q1-same-meaning"]
    assert a["q11-max-pool-variant"] != b["q11-max-pool-variant"]


def test_it_hides_the_questions_until_the_quiz_opens(student_a: Persona, offering: Offering, pooling: Quiz) -> None:
    opens = timezone.now() + timedelta(hours=2)
    rules(offering, pooling, opens_at=opens, max_attempts=1)
    body = student_a.api.get(url(pooling)).json()
    assert body["questions"] is None and body["state"] == "not_open" and not body["can_attempt"]
    assert body["question_count"] == 15 and body["attempts_allowed"] == 1


def test_teaching_staff_see_a_quiz_before_it_opens(instructor: Persona, offering: Offering, pooling: Quiz) -> None:
    rules(offering, pooling, opens_at=timezone.now() + timedelta(hours=2), max_attempts=1)
    body = instructor.api.get(url(pooling)).json()
    assert len(body["questions"]) == 15 and body["can_attempt"] and body["attempts_allowed"] is None


@pytest.mark.parametrize("persona", ["instructor", "staff"])
def test_teachers_and_staff_may_open_a_quiz(request: pytest.FixtureRequest, persona: str, pooling: Quiz) -> None:
    caller: Persona = request.getfixturevalue(persona)
    assert caller.api.get(url(pooling)).status_code == 200


def test_it_refuses_an_outsider_with_403(outsider: Persona, pooling: Quiz) -> None:
    assert_error(outsider.api.get(url(pooling)), 403, "forbidden")


def test_it_refuses_anonymous_callers_a_quiz(anonymous: Persona, pooling: Quiz) -> None:
    assert_error(anonymous.api.get(url(pooling)), 401, "unauthenticated")


@pytest.mark.parametrize("quiz_id", ["0", "999999", str(2**63 - 1), str(2**63), "abc", "-1", "1.0", "1e3"])
def test_it_answers_unknown_quizzes_with_404(student_a: Persona, course, quiz_id: str) -> None:
    assert_error(student_a.api.get(f"/api/quizzes/{quiz_id}"), 404, "not_found")
    assert_error(student_a.api.get(f"/api/quizzes/{quiz_id}/attempts"), 404, "not_found")


def test_it_answers_a_retired_quiz_with_404(student_a: Persona, pooling: Quiz) -> None:
    Quiz.objects.filter(pk=pooling.pk).update(retired=True)
    assert_error(student_a.api.get(url(pooling)), 404, "not_found")
    assert_error(student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}), 404, "not_found")


def test_it_leaves_out_retired_questions(student_a: Persona, pooling: Quiz) -> None:
    Question.objects.filter(quiz=pooling, key="q1-same-meaning").update(retired=True)
    body = student_a.api.get(url(pooling)).json()
    assert body["question_count"] == 14 and "q1-same-meaning" not in {q["key"] for q in body["questions"]}


def test_it_answers_a_broken_generator_with_409(student_a: Persona, pooling: Quiz) -> None:
    Question.objects.filter(quiz=pooling, key="q11-max-pool-variant").update(generator="no_such_generator")
    assert_error(student_a.api.get(url(pooling)), 409, "conflict")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_quiz_answers_other_methods_with_405(student_a: Persona, pooling: Quiz, method: str) -> None:
    response = getattr(student_a.api, method)(url(pooling), "{}", content_type="application/json")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"


def test_it_answers_head(student_a: Persona, pooling: Quiz) -> None:
    assert student_a.api.head(url(pooling)).status_code == 200
    assert student_a.api.head("/api/quizzes").status_code == 200


# -- POST /api/quizzes/{id}/attempts -------------------------------------------------------------


def test_it_grades_an_attempt_and_answers_201(student_a: Persona, pooling: Quiz) -> None:
    answers = right_answers(student_a, pooling)
    answers["q4-stride-two"] = 15
    response = student_a.api.post_json(url(pooling, "/attempts"), {"answers": answers})
    assert response.status_code == 201
    body = response.json()
    stored = QuizAttempt.objects.get()
    assert stored.user == student_a.user and stored.number == 1
    assert body["id"] == stored.pk and body["quiz"] == pooling.pk and body["number"] == 1
    assert body["score"] == pytest.approx(14 / 15) and body["points"] == 14 and body["max_points"] == 15
    results = {r["key"]: r for r in body["results"]}
    assert results["q4-stride-two"]["correct"] is False
    assert results["q4-stride-two"]["message"] == "15 is not the answer"
    assert results["q11-max-pool-variant"]["correct"] is True
    assert results["q11-max-pool-variant"]["correct_answer"] == answers["q11-max-pool-variant"]
    assert results["q11-max-pool-variant"]["explanation_html"].startswith("<p>")


def test_it_withholds_wrong_answers_while_attempts_remain(student_a: Persona, pooling: Quiz) -> None:
    body = student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 15}}).json()
    assert body["revealed"] is False
    wrong = next(r for r in body["results"] if r["key"] == "q4-stride-two")
    assert wrong["correct_answer"] is None and wrong["explanation_html"] is None
    assert wrong["answer"] == 15


def test_it_reveals_the_answers_with_the_last_attempt(student_a: Persona, offering: Offering, pooling: Quiz) -> None:
    rules(offering, pooling, max_attempts=2)
    first = student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 15}}).json()
    assert first["revealed"] is False
    last = student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 15}}).json()
    assert last["revealed"] is True
    wrong = next(r for r in last["results"] if r["key"] == "q4-stride-two")
    explanation = Question.objects.get(quiz=pooling, key="q4-stride-two").explanation
    assert wrong["correct_answer"] == 16
    assert wrong["explanation_html"] == render_markdown(explanation, glossary_terms(pooling.course))
    assert 'data-term="stride"' in wrong["explanation_html"]  # the course's glossary is linked
    listed = student_a.api.get(url(pooling, "/attempts")).json()["attempts"]
    assert [a["number"] for a in listed] == [2, 1] and all(a["revealed"] for a in listed)


def test_it_refuses_past_the_attempt_limit(student_a: Persona, offering: Offering, pooling: Quiz) -> None:
    rules(offering, pooling, max_attempts=1)
    assert student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}).status_code == 201
    assert_error(student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}), 403, "attempt_limit")
    assert QuizAttempt.objects.count() == 1


def test_it_refuses_before_the_window_and_after_it(student_a: Persona, offering: Offering, pooling: Quiz) -> None:
    item = rules(offering, pooling, opens_at=timezone.now() + timedelta(hours=1))
    assert_error(student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}), 403, "not_open")
    item.opens_at, item.closes_at = None, timezone.now() - timedelta(seconds=1)
    item.save()
    assert_error(student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}), 403, "closed")
    assert not QuizAttempt.objects.exists()
    assert student_a.api.get(url(pooling)).json()["state"] == "closed"


def test_it_says_nothing_about_the_questions_before_the_quiz_opens(
    student_a: Persona, offering: Offering, pooling: Quiz
) -> None:
    rules(offering, pooling, opens_at=timezone.now() + timedelta(hours=1))
    # Grading would tell which keys exist, their types and which options are real; it must not run.
    for answers in ({"q99": 1}, {"q1-same-meaning": []}, {"q1-same-meaning": "It is huge"}):
        body = assert_error(student_a.api.post_json(url(pooling, "/attempts"), {"answers": answers}), 403, "not_open")
        assert "q1-same-meaning" not in body["detail"] and "q99" not in body["detail"]
    assert_error(student_a.api.post_json(url(pooling, "/attempts"), {}), 403, "not_open")
    assert not QuizAttempt.objects.exists()


def test_it_refuses_past_the_limit_whatever_the_answers(student_a: Persona, offering: Offering, pooling: Quiz) -> None:
    rules(offering, pooling, max_attempts=1)
    assert student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}).status_code == 201
    body = {"answers": {"q1-same-meaning": "It is huge"}}
    assert_error(student_a.api.post_json(url(pooling, "/attempts"), body), 403, "attempt_limit")


def test_the_instructor_may_attempt_a_closed_quiz(instructor: Persona, offering: Offering, pooling: Quiz) -> None:
    rules(offering, pooling, closes_at=timezone.now() - timedelta(days=1), max_attempts=1)
    for _ in range(2):
        response = instructor.api.post_json(url(pooling, "/attempts"), {"answers": {}})
        assert response.status_code == 201 and response.json()["revealed"] is True


def test_it_refuses_an_outsider_an_attempt(outsider: Persona, pooling: Quiz) -> None:
    assert_error(outsider.api.post_json(url(pooling, "/attempts"), {"answers": {}}), 403, "forbidden")
    assert_error(outsider.api.post(url(pooling, "/attempts"), "nonsense", content_type="text/plain"), 403)
    assert_error(outsider.api.get(url(pooling, "/attempts")), 403, "forbidden")


def test_it_refuses_anonymous_attempts(anonymous: Persona, pooling: Quiz) -> None:
    assert_error(anonymous.api.post_json(url(pooling, "/attempts"), {"answers": {}}), 401, "unauthenticated")
    assert_error(anonymous.api.get(url(pooling, "/attempts")), 401, "unauthenticated")


def test_a_browser_session_is_not_enough_to_attempt(student_a: Persona, pooling: Quiz) -> None:
    browser = Client()
    browser.force_login(student_a.user)
    assert browser.get(url(pooling)).status_code == 200
    response = browser.post(url(pooling, "/attempts"), json.dumps({"answers": {}}), content_type="application/json")
    assert_error(response, 401, "unauthenticated")
    assert not QuizAttempt.objects.exists()


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, '"answers" is required'),
        ({"answers": []}, '"answers" must be an object'),
        ({"answers": None}, '"answers" must be an object'),
        ({"answers": "all of them"}, '"answers" must be an object'),
        ({"answers": {"q99": 1}}, "no question 'q99'"),
        ({"answers": {"q9-max-pool-fixed": [[6, 2], [2]]}}, "q9-max-pool-fixed: row 2 has 1 cells but row 1 has 2"),
        ({"answers": {"q3-relu-linear": "maybe"}}, "q3-relu-linear: expected true or false"),
        ({"answers": {"q1-same-meaning": "It is huge"}}, "q1-same-meaning: “It is huge” is not one of the options"),
        ({"answers": {"q4-stride-two": float("nan")}}, "q4-stride-two: expected a finite number"),  # sent as NaN
        ({"answers": {"q7-relu-name": "ReLU\u0000"}}, "q7-relu-name: the answer contains a NUL character"),
        ({"answers": {"q8-gap-keras": "\ud83d"}}, "q8-gap-keras: the answer is not valid Unicode"),  # half an emoji
    ],
)
def test_it_refuses_bad_answers_with_400_and_uses_no_attempt(
    student_a: Persona, offering: Offering, pooling: Quiz, body: dict, says: str | None
) -> None:
    rules(offering, pooling, max_attempts=1)
    response = student_a.api.post_json(url(pooling, "/attempts"), body)
    error = assert_error(response, 400)
    if says is not None:
        assert says in error["detail"]
    assert not QuizAttempt.objects.exists()
    assert student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}}).status_code == 201


@pytest.mark.parametrize("raw", ["{", "[1]", '"answers"', "null", '{"answers": {}} trailing'])
def test_it_refuses_a_body_that_is_not_a_json_object(student_a: Persona, pooling: Quiz, raw: str) -> None:
    response = student_a.api.post(url(pooling, "/attempts"), raw, content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1"]
)
def test_it_refuses_other_content_types_with_415(student_a: Persona, pooling: Quiz, content_type: str) -> None:
    response = student_a.api.post(url(pooling, "/attempts"), '{"answers": {}}', content_type=content_type)
    assert_error(response, 415, "unsupported_media_type")


def test_it_refuses_a_huge_body_with_413(student_a: Persona, pooling: Quiz) -> None:
    body = json.dumps({"answers": {"q7-relu-name": "x" * MAX_BODY_BYTES}})
    assert_error(student_a.api.post(url(pooling, "/attempts"), body, content_type="application/json"), 413)


def test_it_ignores_members_of_the_body_it_does_not_know(student_a: Persona, pooling: Quiz) -> None:
    response = student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}, "client": "web"})
    assert response.status_code == 201


def test_attempts_answer_other_methods_with_405(student_a: Persona, pooling: Quiz) -> None:
    for method in ("put", "patch", "delete"):
        response = getattr(student_a.api, method)(url(pooling, "/attempts"), "{}", content_type="application/json")
        assert_error(response, 405, "method_not_allowed")
        assert response["Allow"] == "GET, POST, HEAD"


# -- GET /api/quizzes/{id}/attempts ------------------------------------------------------------------


def test_it_lists_only_the_callers_own_attempts(student_a: Persona, student_b: Persona, pooling: Quiz) -> None:
    student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 16}})
    student_b.api.post_json(url(pooling, "/attempts"), {"answers": {}})
    student_b.api.post_json(url(pooling, "/attempts"), {"answers": {}})
    mine = student_a.api.get(url(pooling, "/attempts")).json()["attempts"]
    assert len(mine) == 1 and mine[0]["points"] == 1
    theirs = student_b.api.get(url(pooling, "/attempts")).json()["attempts"]
    assert [a["number"] for a in theirs] == [2, 1] and {a["points"] for a in theirs} == {0}


def test_it_limits_the_list_of_attempts(student_a: Persona, pooling: Quiz) -> None:
    for _ in range(3):
        student_a.api.post_json(url(pooling, "/attempts"), {"answers": {}})
    assert [a["number"] for a in student_a.api.get(url(pooling, "/attempts?limit=2")).json()["attempts"]] == [3, 2]
    assert_error(student_a.api.get(url(pooling, "/attempts?limit=0")), 400, "invalid_parameter")
    assert_error(student_a.api.get(url(pooling, "/attempts?limit=201")), 400, "invalid_parameter")


def test_the_list_withholds_wrong_answers_while_attempts_remain(student_a: Persona, pooling: Quiz) -> None:
    student_a.api.post_json(url(pooling, "/attempts"), {"answers": {"q4-stride-two": 15}})
    listed = student_a.api.get(url(pooling, "/attempts")).json()["attempts"]
    wrong = next(r for r in listed[0]["results"] if r["key"] == "q4-stride-two")
    assert listed[0]["revealed"] is False and wrong["correct_answer"] is None
