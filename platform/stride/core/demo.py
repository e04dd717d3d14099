"""The demo content loaded by ``python manage.py seed_demo``: a list of idempotent steps.

Each step is a function taking the :class:`Seed` and may rely on what earlier steps put
there (``seed.users``, ``seed.offering``). Steps run in ``order`` inside one transaction;
running them again must change nothing that is already there. To add one, from any
installed app's ``demo.py`` module (imported by the command)::

    from stride.core.demo import Seed, step


    @step(order=50)
    def lessons(seed: Seed) -> None:
        seed.say("lessons: ...")

Orders in use: 10 exercises, 20 accounts, 30 offering, 40 enrolments. Course content
belongs at 50, graded demo submissions at 60.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from stride.exercises.models import Exercise
from stride.offerings.models import Enrollment, Offering

PASSWORD_VARIABLE = "STRIDE_DEMO_PASSWORD"
OFFERING_SLUG, OFFERING_TITLE = "demo", "Demo course"
#: username -> role in the demo offering.
ACCOUNTS = {"student": Enrollment.Role.STUDENT, "teacher": Enrollment.Role.INSTRUCTOR}
#: Apps whose models the teacher may manage in the admin.
TEACHER_APPS = ("exercises", "offerings", "submissions", "courses", "glossary", "flashcards", "quizzes")


@dataclass
class Seed:
    """What the steps share: output, the chosen password, and the objects made so far."""

    write: Callable[[str], None]
    password: str = ""  # from STRIDE_DEMO_PASSWORD; empty: generate one for new accounts
    users: dict = field(default_factory=dict)
    offering: Offering | None = None
    #: Lines printed only once the transaction has committed (a generated password).
    after_commit: list[str] = field(default_factory=list)

    def say(self, line: str) -> None:
        self.write(line)


@dataclass(frozen=True)
class Step:
    order: int
    name: str
    run: Callable[[Seed], None]


_steps: dict[str, Step] = {}


def step(order: int) -> Callable[[Callable[[Seed], None]], Callable[[Seed], None]]:
    """Register a seeding step (re-registering the same function replaces it)."""

    def register(func: Callable[[Seed], None]) -> Callable[[Seed], None]:
        name = f"{func.__module__}.{func.__qualname__}"
        _steps[name] = Step(order, name, func)
        return func

    return register


def steps() -> list[Step]:
    return sorted(_steps.values(), key=lambda s: (s.order, s.name))


def run(seed: Seed) -> None:
    for each in steps():
        each.run(seed)


# --- The steps of the platform core ---------------------------------------------------


@step(order=10)
def exercises(seed: Seed) -> None:
    """What ``manage.py sync_exercises`` does: one row per package in exercises/."""
    report = Exercise.sync_from_packages()
    counts = ", ".join(f"{len(slugs)} {what}" for what, slugs in report.items())
    seed.say(f"exercises: {counts}")


@step(order=20)
def accounts(seed: Seed) -> None:
    """``student`` and ``teacher``; a password is set only when an account is created,
    or when STRIDE_DEMO_PASSWORD is set and differs from the current one."""
    user_model = get_user_model()
    generated = ""
    created, changed, kept = [], [], []
    for username in ACCOUNTS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            if not seed.password and not generated:
                generated = secrets.token_urlsafe(12)
            user = user_model(username=username)
            user.set_password(seed.password or generated)
            user.save()
            created.append(username)
        elif seed.password and not user.check_password(seed.password):
            user.set_password(seed.password)
            user.save(update_fields=["password"])
            changed.append(username)
        else:
            kept.append(username)
        seed.users[username] = user

    teacher = seed.users["teacher"]
    if not teacher.is_staff:
        teacher.is_staff = True  # the admin site, for the demo course's exercises and submissions
        teacher.save(update_fields=["is_staff"])
    teacher.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=TEACHER_APPS))
    teacher.user_permissions.add(*Permission.objects.filter(content_type__app_label="auth", codename="view_user"))

    if created:
        names = " and ".join(created)
        if generated:
            seed.after_commit.append(
                f"created {names} with the password {generated}"
                f" (shown only this once; set {PASSWORD_VARIABLE} to choose one)"
            )
        else:
            seed.say(f"created {names} with the password from {PASSWORD_VARIABLE}")
    if changed:
        seed.say(f"{' and '.join(changed)}: password set from {PASSWORD_VARIABLE}")
    if kept:
        seed.say(f"{' and '.join(kept)} already exist (password unchanged)")


@step(order=30)
def offering(seed: Seed) -> None:
    seed.offering, created = Offering.objects.get_or_create(slug=OFFERING_SLUG, defaults={"title": OFFERING_TITLE})
    seed.say(f"offering {OFFERING_SLUG}: {'created' if created else 'exists'}")


@step(order=40)
def enrolments(seed: Seed) -> None:
    for username, role in ACCOUNTS.items():
        enrolment, created = Enrollment.objects.get_or_create(
            offering=seed.offering, user=seed.users[username], defaults={"role": role}
        )
        if not created and enrolment.role != role:
            enrolment.role = role
            enrolment.save(update_fields=["role"])
        seed.say(f"{username}: {role} in {OFFERING_SLUG}{'' if created else ' (already enrolled)'}")


def password_from_environment() -> str:
    return os.environ.get(PASSWORD_VARIABLE, "")
