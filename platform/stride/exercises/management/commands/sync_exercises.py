from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from grader.package import EXERCISES_DIR, PackageError
from stride.exercises.models import Exercise


class Command(BaseCommand):
    help = "Create or update the exercises from the packages in exercises/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--root", default=str(EXERCISES_DIR), help="folder holding the exercise packages")

    def handle(self, *args, **options) -> None:
        try:
            report = Exercise.sync_from_packages(Path(options["root"]))
        except PackageError as exc:
            raise CommandError(str(exc)) from None
        for what, slugs in report.items():
            if slugs:
                self.stdout.write(f"{what}: {', '.join(slugs)}")
