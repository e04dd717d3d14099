# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""Authoring checks: validation state of exercises and quizzes, validating through the grader's
queue, previews of an exercise and a lesson, and trying a solution that never counts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from stride.core.models import WorkerHeartbeat
from stride.courses.models import Lesson, StepProgress
from stride.exercises.models import Exercise
from stride.gradebook import authoring
from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import ValidationRun
from stride.offerings.models import Enrollment, ExerciseAttempt, GradedItem, Offering
from stride.quizzes.models import Question
from stride.submissions.models import Submission
from tests.api.conftest import grading_queue  # noqa: F401 - the broker's grading queue, read directly
from tests.web.conftest import Visitor
from tests.web.teach_support import (  # noqa: F401 - fixtures
    _no_rate_limit,
    assert_login_redirect,
    conv2d,
    conv2d_item,
    graded,
    instructor,
    result,
    row,
    staff,
    strict_client,
    ta,
    text,
)

LIST = "/teach/spring/exercises/"


def validate(visitor: Visitor, slug: str, capture) -> ValidationRun:
    with capture(execute=True):
        response = visitor.client.post(f"/teach/spring/exercises/{slug}/validate")
    assert response.status_code == 302, response.status_code
    run = ValidationRun.objects.order_by("-id").first()
    assert response["Location"] == f"/teach/spring/validations/{run.pk}/"
    return run


def main_content(html: str) -> str:
    found = re.search(r'<main id="main"[^>]*>(.*)</main>', html, re.S)
    assert found, "no <main>"
    return found.group(1)


def report(**fields) -> dict:
    return {"status": "done", "passed": True, "problems": [], "lines": ["22 tests (4 visible)"], **fields}


# -- the list -----------------------------------------------------------------------------------


def test_it_lists_the_courses_exercises_quizzes_and_lessons(offering, instructor: Visitor) -> None:
    html = instructor.client.get(LIST).content.decode()
    steps = Exercise.objects.filter(lesson_steps__lesson__course=offering.course).distinct()
    assert steps.exists()
    for exercise in steps:
        assert "not validated yet" in row(html, "data-exercise", exercise.slug)
    for lesson in Lesson.objects.filter(course=offering.course, retired=False):
        assert f"/teach/spring/lessons/{lesson.pk}/preview" in html
    quiz_cells = row(html, "data-quiz", "kernels-and-feature-maps")
    assert "passed" in quiz_cells
    assert 'http-equiv="refresh"' not in html


def test_a_quiz_whose_answer_grades_wrong_shows_its_problem(offering, instructor: Visitor) -> None:
    question = Question.objects.filter(quiz__key="kernels-and-feature-maps", type="single", generator="").first()
    Question.objects.filter(pk=question.pk).update(answer="an option that is not there")
    cells = row(instructor.client.get(LIST).content, "data-quiz", "kernels-and-feature-maps")
    assert "problems found" in cells and f"{question.key}: the answer 'an option that is not there'" in cells


# -- validating ---------------------------------------------------------------------------------


def test_validate_queues_the_work_for_the_grader_and_reuses_a_run_on_its_way(
    offering,
    conv2d,
    instructor: Visitor,
    grading_queue,
    django_capture_on_commit_callbacks,  # noqa: F811
) -> None:
    run = validate(instructor, "conv2d", django_capture_on_commit_callbacks)
    assert (run.exercise, run.version, run.status, run.requested_by) == (
        conv2d,
        conv2d.version,
        "queued",
        instructor.user,
    )
    (message,) = grading_queue.drain()
    assert message == {"task": "stride.validate", "args": [run.pk, "conv2d", str(run.token)]}
    again = validate(instructor, "conv2d", django_capture_on_commit_callbacks)
    assert again == run and grading_queue.drain() == []
    page = instructor.client.get(f"/teach/spring/validations/{run.pk}/")
    assert 'http-equiv="refresh"' in page.content.decode() and 'data-validation-state="queued"' in page.content.decode()


def test_the_report_comes_back_through_the_recorder_once(offering, conv2d, instructor: Visitor) -> None:
    run, _ = authoring.request_validation(conv2d, by=instructor.user)
    token = str(run.token)
    assert authoring.record(run.pk, token, {"status": "running"})
    assert not authoring.record(run.pk, token, {"status": "running"})
    listed = instructor.client.get(LIST).content.decode()
    assert "running" in row(listed, "data-exercise", "conv2d") and 'http-equiv="refresh"' in listed
    lines = ["reference.py good scores 100%, 100%, 100%", "bad_flipped_kernel.py bad scores 40%"]
    assert authoring.record(run.pk, token, report(lines=lines, version=conv2d.version, duration_ms=3100))
    assert not authoring.record(run.pk, token, report(passed=False, problems=["late duplicate"]))
    assert not authoring.record(run.pk, str(uuid.uuid4()), report())  # someone else's token
    run.refresh_from_db()
    assert (run.status, run.passed, run.validated_version) == ("done", True, conv2d.version)
    assert run.started_at <= run.finished_at
    page = instructor.client.get(f"/teach/spring/validations/{run.pk}/").content.decode()
    assert "Every check passed." in page and "bad_flipped_kernel.py bad scores 40%" in page and "3100 ms" in page
    assert 'http-equiv="refresh"' not in page
    assert "passed" in row(instructor.client.get(LIST).content, "data-exercise", "conv2d")


def test_a_failed_validation_lists_the_problems(offering, conv2d, instructor: Visitor) -> None:
    run, _ = authoring.request_validation(conv2d, by=instructor.user)
    problem = "bad_flipped_kernel.py should fail ['example'] but passed them (seed 1)"
    assert authoring.record(run.pk, str(run.token), report(passed=True, problems=[problem], version=conv2d.version))
    run.refresh_from_db()
    assert run.passed is False  # problems mean failure, whatever "passed" says
    page = text(instructor.client.get(f"/teach/spring/validations/{run.pk}/").content)
    assert problem in page and "problems found" in page


def test_the_grader_not_running_the_checks_is_an_error_and_a_new_package_makes_it_outdated(
    offering, conv2d, instructor: Visitor
) -> None:
    run, _ = authoring.request_validation(conv2d)
    assert authoring.record(run.pk, str(run.token), {"status": "error", "message": "the checks could not run: boom"})
    assert "could not run" in row(instructor.client.get(LIST).content, "data-exercise", "conv2d")
    assert "the checks could not run: boom" in text(
        instructor.client.get(f"/teach/spring/validations/{run.pk}/").content
    )
    passed, _ = authoring.request_validation(conv2d)
    authoring.record(passed.pk, str(passed.token), report(version=conv2d.version))
    Exercise.objects.filter(pk=conv2d.pk).update(version="changed-package0")
    assert "package changed since" in row(instructor.client.get(LIST).content, "data-exercise", "conv2d")


def test_a_run_lost_on_the_way_can_be_asked_for_again(offering, conv2d) -> None:
    run, _ = authoring.request_validation(conv2d)
    ValidationRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=1))
    again, created = authoring.request_validation(conv2d)
    assert created and again != run
    assert authoring.state(ValidationRun.objects.get(pk=run.pk), conv2d) == authoring.STALE


def test_a_broker_that_is_down_ends_the_run_with_a_message(offering, conv2d, django_capture_on_commit_callbacks):
    refused = mock.patch("stride.celery.app.send_task", side_effect=ConnectionError("refused"))
    with refused, django_capture_on_commit_callbacks(execute=True):
        run, _ = authoring.request_validation(conv2d)
    run.refresh_from_db()
    assert run.status == "error" and "could not be reached" in run.report["message"]


def test_a_validation_waiting_for_a_grader_that_is_not_running_says_so(offering, conv2d, instructor: Visitor) -> None:
    run, _ = authoring.request_validation(conv2d)
    url = f"/teach/spring/validations/{run.pk}/"
    page = instructor.client.get(url).content.decode()  # no worker has ever sent a heartbeat
    assert 'data-workers-down="grader results"' in page and "nothing is running the checks now" in text(page)
    assert "The grader is on it" not in page and 'http-equiv="refresh"' in page  # it notices when one starts
    assert 'data-workers-down="grader results"' in instructor.client.get(LIST).content.decode()
    WorkerHeartbeat.beat("grader@host", "grader")
    WorkerHeartbeat.beat("results@host", "results")
    page = instructor.client.get(url).content.decode()
    assert "data-workers-down" not in page and "The grader is on it" in page
    assert "data-workers-down" not in instructor.client.get(LIST).content.decode()
    authoring.record(run.pk, str(run.token), report(version=conv2d.version))
    WorkerHeartbeat.objects.all().delete()
    assert "data-workers-down" not in instructor.client.get(url).content.decode()  # done: nothing to wait for


def test_reports_are_bounded_and_odd_messages_ignored(offering, conv2d) -> None:
    run, _ = authoring.request_validation(conv2d)
    token = str(run.token)
    assert not authoring.record(run.pk, token, {"status": "exploded"})
    assert not authoring.record(run.pk, token, ["not", "a", "dict"])
    assert authoring.record(run.pk, token, report(lines=["x" * 5000] * 500, problems="not a list"))
    run.refresh_from_db()
    assert len(run.report["lines"]) == authoring.MAX_LINES and len(run.report["lines"][0]) == authoring.MAX_LINE
    assert run.report["problems"] == []


def test_tas_see_validation_but_only_instructors_run_it(
    offering, conv2d, ta: Visitor, student: Visitor, anonymous: Visitor, instructor: Visitor
) -> None:
    assert ta.client.get(LIST).status_code == 200 and b"Validate<" not in ta.client.get(LIST).content
    assert ta.client.post("/teach/spring/exercises/conv2d/validate").status_code == 403
    assert student.client.get(LIST).status_code == 403
    assert student.client.post("/teach/spring/exercises/conv2d/validate").status_code == 403
    assert_login_redirect(anonymous.client.post("/teach/spring/exercises/conv2d/validate"), "")
    assert instructor.client.get("/teach/spring/exercises/conv2d/validate").status_code == 405
    assert strict_client(instructor.user).post("/teach/spring/exercises/conv2d/validate").status_code == 403
    assert instructor.client.post("/teach/spring/exercises/nope/validate").status_code == 404
    assert not ValidationRun.objects.exists()


def test_a_validation_is_shown_only_in_an_offering_that_has_the_exercise(offering, conv2d, instructor) -> None:
    stray = Exercise.objects.create(slug="stray", title="Stray", function="f", version="v", statement="", starter="")
    run, _ = authoring.request_validation(stray)
    assert instructor.client.get(f"/teach/spring/validations/{run.pk}/").status_code == 404
    assert instructor.client.get("/teach/spring/exercises/stray/preview").status_code == 404


@pytest.mark.slow
def test_a_real_grading_worker_validates_a_package_in_its_sandbox(offering, tmp_path) -> None:
    """The grader's side for real: stride.validate in, two stride.record_validation messages out."""
    from celery import Celery

    from tests.stack import (
        GRADING_QUEUE,
        PLATFORM_DIR,
        REPO_ROOT,
        RESULTS_QUEUE,
        PrivateRedis,
        Proc,
        grading_unavailable,
        require,
        wait_for,
    )

    require(grading_unavailable())
    require(None if shutil.which("redis-server") else "redis-server is not installed")
    exercise = Exercise.objects.get(slug="output-size")
    run, _ = authoring.request_validation(exercise)
    redis = PrivateRedis(folder=tmp_path / "redis")
    redis.start()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(tmp_path), "PYTHONPATH": str(PLATFORM_DIR),
           "PYTHONUNBUFFERED": "1", "REDIS_URL": redis.url, "STRIDE_VAR_DIR": str(tmp_path / "var")}  # fmt: skip
    log_path = tmp_path / "grader.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "stride.worker", "--app", "grader.worker:app", "--queues", GRADING_QUEUE,
             "--name", "grader"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    grader = Proc(name="grader", process=process, log_path=log_path)
    sender = Celery("teach-test", broker=redis.url)
    try:
        grader.wait_log(" ready.")
        sender.send_task("stride.validate", args=[run.pk, exercise.slug, str(run.token)], queue=GRADING_QUEUE)

        def answers():
            found = [t for t in redis.queued(RESULTS_QUEUE) if t.task == "stride.record_validation"]
            return found if len(found) == 2 else None

        messages = wait_for("the grader's two validation messages", answers, timeout=120, interval=0.2)
        for message in reversed(messages):  # LPUSH: oldest last
            assert authoring.record(*message.args), message.args
    finally:
        sender.close()
        grader.terminate()
        grader.reap(time.monotonic() + 15)
        redis.kill()
    run.refresh_from_db()
    assert (run.status, run.passed, run.validated_version) == ("done", True, exercise.version), grader.tail()
    assert any(line.startswith("reference.py") for line in run.report["lines"])
    assert any("bad_" in line and " bad " in line for line in run.report["lines"])


# -- previews -----------------------------------------------------------------------------------


def test_the_exercise_preview_has_the_statement_and_starter_but_no_submit(offering, conv2d, ta: Visitor) -> None:
    html = ta.client.get("/teach/spring/exercises/conv2d/preview").content.decode()
    assert conv2d.title in html and "def conv2d(" in html
    assert "data-code-form" not in html and "/exercises/conv2d/submit" not in html and "readonly" in html


def test_the_lesson_preview_shows_every_step_and_records_nothing(offering, instructor: Visitor) -> None:
    lesson = Lesson.objects.filter(course=offering.course, steps__type="check").distinct().first()
    steps = list(lesson.steps.filter(retired=False).order_by("position"))
    url = f"/teach/spring/lessons/{lesson.pk}/preview"
    for number, step in enumerate(steps, 1):
        html = instructor.client.get(f"{url}?step={number}").content.decode()
        assert f"Step {number} / {len(steps)}" in html and f'data-step-type="{step.type}"' in html
        assert "<form" not in main_content(html)
        if step.type == "check":
            assert "Answer (your variant):" in html
    assert not StepProgress.objects.exists()
    assert instructor.client.get(f"{url}?step=999").status_code == 200
    assert f"Step 1 / {len(steps)}" in instructor.client.get(f"{url}?step=²").content.decode()  # not int()'s digit
    assert instructor.client.post(url).status_code == 405


def test_previews_refuse_students_and_anonymous_visitors(offering, conv2d, student: Visitor, anonymous) -> None:
    lesson = Lesson.objects.filter(course=offering.course).first()
    for url in ("/teach/spring/exercises/conv2d/preview", f"/teach/spring/lessons/{lesson.pk}/preview"):
        assert student.client.get(url).status_code == 403
        assert_login_redirect(anonymous.client.get(url), url)


# -- trying a solution ----------------------------------------------------------------------------


def test_a_trial_is_graded_by_the_pipeline_but_never_counted(
    offering, conv2d_item, instructor: Visitor, student: Visitor, graded, django_capture_on_commit_callbacks
) -> None:
    graded(student.user, conv2d_item, 0.5)
    response = instructor.client.post(
        "/teach/spring/exercises/conv2d/try/submit", {"code": "def conv2d(i, k):\n    return i\n"},
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    assert response.status_code == 202
    body = response.json()
    trial = Submission.objects.get(pk=body["id"])
    assert trial.user == instructor.user and trial.status == "queued"
    assert body["status_url"] == f"/api/submissions/{trial.pk}"
    assert body["result_url"] == f"/teach/spring/exercises/conv2d/try/{trial.pk}/result"
    assert body["history_url"] == "/teach/spring/exercises/conv2d/try/history"
    assert not ExerciseAttempt.objects.filter(submission=trial).exists()
    token = str(trial.grading_token)
    assert Submission.mark_started(trial.pk, token) and Submission.record_result(trial.pk, token, result(1.0))
    fragment = instructor.client.get(body["result_url"]).content.decode()
    assert "100%" in fragment and 'data-test-name="example"' in fragment
    assert f">{trial.pk}<" in instructor.client.get(body["history_url"]).content.decode()
    book = compute_gradebook(offering)
    assert [r.username for r in book.rows] == ["ada"] and book.rows[0].total == 0.5 * conv2d_item.possible_points()


def test_a_trial_ignores_deadlines_and_attempts_and_an_instructor_who_studies_elsewhere(
    offering, conv2d, instructor: Visitor
) -> None:
    elsewhere = Offering.objects.create(slug="elsewhere", title="Elsewhere", course=offering.course)
    Enrollment.objects.create(offering=elsewhere, user=instructor.user, role=Enrollment.Role.STUDENT)
    GradedItem.objects.create(offering=elsewhere, exercise=conv2d, max_attempts=1, closes_at=timezone.now())
    for _ in range(2):
        response = instructor.client.post("/teach/spring/exercises/conv2d/try/submit", {"code": "x = 1"})
        assert response.status_code == 302
    assert Submission.objects.filter(user=instructor.user).count() == 2
    assert not ExerciseAttempt.objects.exists()
    trial = Submission.objects.filter(user=instructor.user).first()
    assert response["Location"].endswith(f"/try/{trial.pk}/")
    page = instructor.client.get(response["Location"]).content.decode()
    assert "Waiting for the grader" in page and 'http-equiv="refresh"' in page


def test_trials_are_private_to_whoever_made_them(offering, conv2d, instructor: Visitor, ta: Visitor) -> None:
    instructor.client.post("/teach/spring/exercises/conv2d/try/submit", {"code": "x = 1"})
    trial = Submission.objects.get()
    assert ta.client.get(f"/teach/spring/exercises/conv2d/try/{trial.pk}/").status_code == 404
    assert ta.client.get(f"/teach/spring/exercises/conv2d/try/{trial.pk}/result").status_code == 404
    assert b"No trials yet." in ta.client.get("/teach/spring/exercises/conv2d/try/history").content


def test_a_trial_keeps_the_code_limits_and_the_rate_limit(offering, conv2d, instructor: Visitor, settings) -> None:
    url = "/teach/spring/exercises/conv2d/try/submit"
    big = instructor.client.post(url, {"code": "#" * 70_000}, HTTP_ACCEPT="application/json")
    assert big.status_code == 413
    assert instructor.client.post(url, {"code": "a\0b"}, HTTP_ACCEPT="application/json").status_code == 400
    assert instructor.client.post(url, {}, HTTP_ACCEPT="application/json").status_code == 400
    settings.STRIDE_SUBMISSION_RATE_COUNT = 1
    assert instructor.client.post(url, {"code": "a = 1"}, HTTP_ACCEPT="application/json").status_code == 202
    refused = instructor.client.post(url, {"code": "a = 2"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert Submission.objects.count() == 1


def test_a_refused_trial_without_javascript_goes_back_to_the_try_page_saying_why(
    offering, conv2d, instructor: Visitor
) -> None:
    url = "/teach/spring/exercises/conv2d/try/submit"
    for code, why in (("a\0b", "your code contains a NUL character"), ("#" * 70_000, "the limit is 65536")):
        refused = instructor.client.post(url, {"code": code}, follow=True)
        assert refused.redirect_chain == [("/teach/spring/exercises/conv2d/try/", 302)]
        assert why in text(refused.content)
    assert not Submission.objects.exists()


def test_trying_is_for_the_teaching_staff_with_login_csrf_and_post(
    offering, conv2d, student: Visitor, anonymous: Visitor, instructor: Visitor, ta: Visitor
) -> None:
    url = "/teach/spring/exercises/conv2d/try/submit"
    assert ta.client.get("/teach/spring/exercises/conv2d/try/").status_code == 200
    assert student.client.get("/teach/spring/exercises/conv2d/try/").status_code == 403
    assert student.client.post(url, {"code": "x"}).status_code == 403
    assert_login_redirect(anonymous.client.post(url, {"code": "x"}), url)
    assert strict_client(instructor.user).post(url, {"code": "x"}).status_code == 403
    assert instructor.client.get(url).status_code == 405
    assert not Submission.objects.exists()
    page = instructor.client.get("/teach/spring/exercises/conv2d/try/").content.decode()
    assert 'data-code-form method="post" action="/teach/spring/exercises/conv2d/try/submit"' in page
    assert f'data-storage-key="stride:trial:{instructor.user.pk}:spring:conv2d"' in page
