"""``python manage.py seed_demo``: the demo course, its accounts and content (idempotent)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from grader.package import PackageError
from stride.core import demo
from stride.courses.package import BrokenPackage


class Command(BaseCommand):
    help = (
        "Load the demo content and create the accounts student and teacher (an instructor), "
        f"enrolled in the offering '{demo.OFFERING_SLUG}'. Their password comes from "
        f"{demo.PASSWORD_VARIABLE}, or is generated and printed once. Safe to run again."
    )

    def handle(self, *args, **options) -> None:
        autodiscover_modules("demo")  # every app's demo.py registers its steps
        seed = demo.Seed(write=self.stdout.write, password=demo.password_from_environment())
        try:
            with transaction.atomic():
                demo.run(seed)
        except PackageError as exc:
            raise CommandError(f"an exercise package is broken: {exc}") from None
        except BrokenPackage as exc:
            raise CommandError(f"a course package is broken:\n{exc}") from None
        for line in seed.after_commit:
            self.stdout.write(line)
