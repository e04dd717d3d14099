"""seed_demo's grading step (order 60): graded items, a few more students, and graded work.

The demo offering grades the demo course's code exercises and quizzes, with dates around
the day the step first ran (a past due date with a late penalty, one without late work,
later ones still open). Four demo students (no password: they exist to fill the gradebook)
get submissions recorded through the pipeline's own state moves (``mark_started``,
``record_result``) with results built from each package's real test names, so no grader is
needed, and quiz attempts graded by the quiz code itself. ``export_grades demo --format
canvas`` then shows real rows. Running it again adds nothing: items, accounts and work are
only made where they are missing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Min
from django.utils import timezone

from grader.package import EXERCISES_DIR, PackageError, find_exercise
from stride.core.demo import Seed, step
from stride.exercises.models import Exercise
from stride.offerings.limits import record_attempt
from stride.offerings.models import Enrollment, ExerciseAttempt, Extension, GradedItem
from stride.quizzes.grading import grade_answer
from stride.quizzes.models import Quiz, QuizAttempt
from stride.quizzes.variants import VariantError, variant_for
from stride.submissions.models import Submission

TIME_ZONE = "Europe/Berlin"
#: username -> (first name, last name, student id)
STUDENTS = {
    "ada": ("Ada", "Lovelace", "S1001"),
    "alan": ("Alan", "Turing", "S1002"),
    "grace": ("Grace", "Hopper", "S1003"),
    "katherine": ("Katherine", "Johnson", "S1004"),
}
#: Per exercise (by slug): days from the step's first run to opens/due/closes, and the rules.
#: One is past due with a penalty, one past due without late work; conv2d, the exercise the
#: demo walks through, stays open with unlimited attempts. Other exercises get LATER.
SCHEDULE = {
    "output-size": {"opens": -21, "due": -7, "closes": 0, "late_policy": "penalty", "penalty_per_day": 10,
                    "penalty_cap": 50, "max_attempts": 5, "counts": "best"},
    "pad2d": {"opens": -14, "due": -2, "closes": None, "late_policy": "no_late", "max_attempts": 3, "counts": "best"},
    "conv2d": {"opens": -7, "due": 7, "closes": 14, "late_policy": "cutoff", "max_attempts": None, "counts": "last"},
}  # fmt: skip
LATER = {"opens": -1, "due": 14, "closes": 21, "late_policy": "penalty", "penalty_per_day": 5, "penalty_cap": 25}
#: The first quiz is past due (late work accepted until it closes), the others still open.
QUIZ_SCHEDULE = [{"opens": -20, "due": -3, "closes": None, "late_policy": "cutoff", "max_attempts": 3}]
QUIZ_LATER = {"opens": -2, "due": 10, "closes": 17, "late_policy": "no_late", "max_attempts": 2, "counts": "last"}
#: Per student, per exercise: (hours after the due time, how many tests fail) per submission.
WORK = {
    "ada": {"output-size": [(-72, 2), (-48, 0)], "pad2d": [(-20, 0)]},
    "alan": {"output-size": [(-30, 3), (20, 1), (30, 0)], "pad2d": [(-5, 1)]},
    "grace": {"output-size": [(-100, 0)], "pad2d": [(-50, 4), (-49, 2)], "conv2d": [(-200, 1)]},
    "katherine": {"output-size": [(50, 0)]},
}
#: Per student, per quiz index: (hours after the due time, fraction of questions answered right).
QUIZ_WORK = {"ada": {0: [(-40, 1.0)]}, "alan": {0: [(-10, 0.5), (-8, 0.75)]}, "grace": {0: [(-60, 0.75)]}}
#: Katherine was ill: four more days for output-size (her late submission is on time for her).
EXTENSION = ("katherine", "output-size", timedelta(days=4), "illness (doctor's note)")


@step(order=60)
def grading(seed: Seed) -> None:
    offering = seed.offering
    if offering is None or offering.course_id is None:
        seed.say("grading: the demo offering teaches no course; nothing graded")
        return
    teacher = seed.users.get("teacher")
    if teacher is not None:
        teacher.user_permissions.add(*Permission.objects.filter(content_type__app_label="gradebook"))
    exercise_items, quiz_items, made = _items(offering)
    if made and offering.time_zone == "UTC":
        offering.time_zone = TIME_ZONE
        offering.save(update_fields=["time_zone"])
    students = _students(offering)
    counts = {"submissions": 0, "quiz attempts": 0}
    for username, plan in WORK.items():
        for slug, attempts in plan.items():
            if slug in exercise_items:
                counts["submissions"] += _submit(students[username], exercise_items[slug], attempts)
    for username, plan in QUIZ_WORK.items():
        for index, attempts in plan.items():
            if index < len(quiz_items):
                counts["quiz attempts"] += _take(students[username], quiz_items[index], attempts)
    name, slug, extra, reason = EXTENSION
    if slug in exercise_items:
        item = exercise_items[slug]
        _, created = Extension.objects.get_or_create(
            item=item, user=students[name], defaults={"due_at": item.due_at + extra, "reason": reason}
        )
        if created:
            seed.say(f"grading: {name} has an extension for {slug}")
    seed.say(
        f"grading: {len(exercise_items)} exercises and {len(quiz_items)} quizzes graded in {offering.slug}; "
        f"{counts['submissions']} submissions and {counts['quiz attempts']} quiz attempts added"
    )


def _items(offering) -> tuple[dict[str, GradedItem], list[GradedItem], int]:
    """The offering's items for the course's exercises and quizzes, made where missing."""
    anchor = GradedItem.objects.filter(offering=offering).aggregate(first=Min("opens_at"))["first"]
    # Dates hang off the step's first run: the earliest opening is 21 days before it.
    base = (anchor + timedelta(days=21)) if anchor else timezone.now().replace(minute=0, second=0, microsecond=0)
    exercises = list(
        Exercise.objects.filter(lesson_steps__lesson__course=offering.course_id, lesson_steps__retired=False)
        .distinct()
        .order_by("order", "slug")
    )
    quizzes = list(Quiz.objects.filter(course=offering.course_id, retired=False))
    made = 0
    exercise_items, quiz_items = {}, []
    for position, exercise in enumerate(exercises):
        plan = SCHEDULE.get(exercise.slug, LATER)
        item, created = GradedItem.objects.get_or_create(
            offering=offering, exercise=exercise, defaults={"position": position, **_dates(base, plan)}
        )
        made += created
        exercise_items[exercise.slug] = item
    for index, quiz in enumerate(quizzes):
        plan = QUIZ_SCHEDULE[index] if index < len(QUIZ_SCHEDULE) else QUIZ_LATER
        item, created = GradedItem.objects.get_or_create(
            offering=offering, quiz=quiz, defaults={"position": len(exercises) + index, **_dates(base, plan)}
        )
        made += created
        quiz_items.append(item)
    return exercise_items, quiz_items, made


def _dates(base, plan: dict) -> dict:
    def day(offset):
        return None if offset is None else base + timedelta(days=offset)

    fields = {"opens_at": day(plan["opens"]), "due_at": day(plan["due"]), "closes_at": day(plan["closes"])}
    for key in ("late_policy", "penalty_per_day", "penalty_cap", "max_attempts", "counts"):
        if key in plan:
            fields[key] = plan[key]
    return fields


def _students(offering) -> dict:
    users = {}
    for username, (first, last, student_id) in STUDENTS.items():
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            user = get_user_model()(
                username=username, first_name=first, last_name=last, email=f"{username}@students.example.org"
            )
            user.set_unusable_password()
            user.save()
        Enrollment.objects.get_or_create(
            offering=offering, user=user, defaults={"role": Enrollment.Role.STUDENT, "student_id": student_id}
        )
        users[username] = user
    return users


def _result(package, failing: int) -> dict:
    """A grading result in the grader's format, with the package's own tests, the first ``failing`` failed."""
    cases = package.build_cases(0)
    failed_kinds = ["wrong_shape", "wrong_values", "wrong_values", "timeout", "exception"]
    tests, failures = [], 0
    # Hidden tests fail first: the visible examples are what students get right first.
    order = sorted(range(len(cases)), key=lambda i: (cases[i].visible, i))
    fail = set(order[:failing])
    for index, case in enumerate(cases):
        passed = index not in fail
        entry = {
            "name": case.name,
            "visible": case.visible,
            "passed": passed,
            "verdict": "passed" if passed else failed_kinds[failures % len(failed_kinds)],
            "points": case.points if passed else 0.0,
            "max_points": case.points,
            "message": "" if passed else "the output differs from the reference",
        }
        if not passed:
            failures += 1
            if case.hint:
                entry["hint"] = case.hint
        tests.append(entry)
    total = sum(t["max_points"] for t in tests)
    points = sum(t["points"] for t in tests)
    return {
        "exercise": package.slug,
        "version": package.version,
        "verdict": "passed" if not failures else "failed",
        "message": "all tests passed" if not failures else f"{failures} of {len(tests)} tests failed",
        "score": points / total if total else 0.0,
        "points": points,
        "max_points": total,
        "tests": tests,
        "stdout": "",
        "duration_ms": 42.0,
    }


def _submit(user, item: GradedItem, attempts: list[tuple[int, int]]) -> int:
    if ExerciseAttempt.objects.filter(item=item, user=user).exists():
        return 0
    exercise = item.exercise
    try:
        package = find_exercise(exercise.slug, EXERCISES_DIR)
    except PackageError:
        return 0
    reference = (package.path / "reference.py").read_text(encoding="utf-8")
    for hours, failing in attempts:
        at = item.due_at + timedelta(hours=hours)
        submission = Submission.objects.create(
            user=user,
            exercise=exercise,
            exercise_version=exercise.version,
            code=reference if failing == 0 else exercise.starter,
            created_at=at,
            queued_at=at,
        )
        record_attempt(item, user, submission)
        token = str(submission.grading_token)
        Submission.mark_started(submission.pk, token)
        Submission.record_result(submission.pk, token, _result(package, failing))
        Submission.objects.filter(pk=submission.pk).update(
            started_at=at + timedelta(seconds=2), finished_at=at + timedelta(seconds=3)
        )
    return len(attempts)


def _take(user, item: GradedItem, attempts: list[tuple[int, float]]) -> int:
    from stride.quizzes.attempts import grade_attempt, next_number, quiz_questions

    quiz = item.quiz
    if QuizAttempt.objects.filter(user=user, quiz=quiz, offering=item.offering).exists():
        return 0
    questions = quiz_questions(quiz)
    right = {}
    for question in questions:
        try:
            variant = variant_for(user, question)
        except VariantError:
            continue
        answer = variant.answer
        if question.type == "text" and isinstance(answer, list):
            answer = answer[0] if answer else None
        outcome = grade_answer(question.type, variant.answer, answer, options=question.options,
                               tolerance=question.tolerance)  # fmt: skip
        if answer is not None and outcome.correct:
            right[question.key] = answer
    for hours, fraction in attempts:
        keys = list(right)[: round(len(questions) * fraction)]
        answers = {key: right[key] for key in keys}
        results = grade_attempt(user, quiz, answers, questions)
        points = sum(r["points"] for r in results)
        total = sum(r["max_points"] for r in results)
        QuizAttempt.objects.create(
            user=user,
            quiz=quiz,
            offering=item.offering,
            number=next_number(user, quiz),
            answers=answers,
            results=results,
            score=points / total if total else 0.0,
            points=points,
            max_points=total,
            created_at=item.due_at + timedelta(hours=hours),
        )
    return len(attempts)
