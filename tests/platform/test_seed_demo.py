"""python manage.py seed_demo: exercises, the accounts student and teacher, the demo offering."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stride.core import demo
from stride.exercises.models import Exercise
from stride.offerings.models import Enrollment, Offering

pytestmark = pytest.mark.django_db

# Students with graded demo submissions, so the gradebook and its exports show real rows.
DEMO_CLASSMATES = ["ada", "alan", "grace", "katherine"]
PRINTED_PASSWORD = re.compile(r"with the password (\S+) \(shown only this once")


@pytest.fixture(autouse=True)
def fast_hashing(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("STRIDE_DEMO_PASSWORD", raising=False)


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def accounts() -> dict:
    return {user.username: user for user in get_user_model().objects.filter(username__in=["student", "teacher"])}


def test_it_creates_the_demo_course_and_prints_a_generated_password_once() -> None:
    first = seed()
    printed = PRINTED_PASSWORD.findall(first)
    assert len(printed) == 1, first
    password = printed[0]
    assert len(password) >= 16

    users = accounts()
    assert set(users) == {"student", "teacher"}
    assert all(user.check_password(password) for user in users.values())
    assert users["teacher"].is_staff and not users["teacher"].is_superuser
    assert users["teacher"].has_perm("submissions.view_submission")
    assert users["teacher"].has_perm("exercises.change_exercise")
    assert not users["student"].is_staff

    offering = Offering.objects.get(slug="demo")
    assert offering.title == "Demo course"
    roles = dict(Enrollment.objects.filter(offering=offering).values_list("user__username", "role"))
    assert roles == {"student": "student", "teacher": "instructor", **dict.fromkeys(DEMO_CLASSMATES, "student")}
    assert Exercise.objects.filter(slug="conv2d").exists()


def test_running_it_again_changes_nothing_and_prints_no_password() -> None:
    first = seed()
    password = PRINTED_PASSWORD.findall(first)[0]
    hashes = {name: user.password for name, user in accounts().items()}
    counts = (get_user_model().objects.count(), Offering.objects.count(), Enrollment.objects.count())

    second = seed()
    assert password not in second
    assert PRINTED_PASSWORD.search(second) is None
    assert "student and teacher already exist (password unchanged)" in second
    assert {name: user.password for name, user in accounts().items()} == hashes
    assert (get_user_model().objects.count(), Offering.objects.count(), Enrollment.objects.count()) == counts
    assert Enrollment.objects.count() == 2 + len(DEMO_CLASSMATES)


def test_it_takes_the_password_from_the_environment_without_printing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIDE_DEMO_PASSWORD", "correct horse battery staple")
    first = seed()
    assert "correct horse" not in first
    assert "with the password from STRIDE_DEMO_PASSWORD" in first
    assert all(user.check_password("correct horse battery staple") for user in accounts().values())

    hashes = {name: user.password for name, user in accounts().items()}
    second = seed()
    assert "already exist (password unchanged)" in second
    assert {name: user.password for name, user in accounts().items()} == hashes


def test_a_new_environment_password_replaces_a_generated_one(monkeypatch: pytest.MonkeyPatch) -> None:
    seed()
    monkeypatch.setenv("STRIDE_DEMO_PASSWORD", "chosen later")
    out = seed()
    assert "student and teacher: password set from STRIDE_DEMO_PASSWORD" in out
    assert all(user.check_password("chosen later") for user in accounts().values())


def test_it_repairs_a_changed_role_and_a_missing_account() -> None:
    seed()
    Enrollment.objects.filter(user__username="teacher").update(role=Enrollment.Role.STUDENT)
    get_user_model().objects.filter(username="student").delete()
    out = seed()
    assert "created student with the password" in out
    roles = dict(
        Enrollment.objects.filter(user__username__in=["student", "teacher"]).values_list("user__username", "role")
    )
    assert roles == {"student": "student", "teacher": "instructor"}


def test_later_steps_run_in_order_with_what_earlier_steps_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_steps", dict(demo._steps))
    seen = []

    @demo.step(order=50)
    def course_content(seed: demo.Seed) -> None:
        seen.append((seed.offering.slug, sorted(seed.users)))
        seed.say("course content: loaded")

    out = seed()
    assert seen == [("demo", ["student", "teacher"])]
    assert out.index("teacher: instructor in demo") < out.index("course content: loaded")


def test_a_failing_step_leaves_nothing_behind_and_prints_no_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_steps", dict(demo._steps))

    @demo.step(order=99)
    def broken(seed: demo.Seed) -> None:
        raise RuntimeError("boom")

    out = io.StringIO()
    with pytest.raises(RuntimeError):
        call_command("seed_demo", stdout=out)
    assert PRINTED_PASSWORD.search(out.getvalue()) is None
    assert accounts() == {}
    assert not Offering.objects.filter(slug="demo").exists()


def test_it_imports_the_demo_course_and_the_demo_offering_teaches_it() -> None:
    from stride.courses.models import Course, Lesson

    first = seed()
    assert "course cnn-features: created (changed)" in first
    assert "offering demo: teaches cnn-features" in first
    course = Course.objects.get(slug="cnn-features")
    assert Offering.objects.get(slug=demo.OFFERING_SLUG).course == course
    assert Lesson.objects.filter(course=course, retired=False).count() == 6
    assert accounts()["teacher"].has_perm("courses.change_lesson")
    assert accounts()["teacher"].has_perm("quizzes.view_quizattempt")
    again = seed()
    assert "course cnn-features: synced (unchanged)" in again and "teaches" not in again
