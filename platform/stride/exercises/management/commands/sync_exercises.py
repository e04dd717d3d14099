from django.core.management.base import BaseCommand, CommandError

from grader.package import PackageError
from stride.exercises.models import Exercise


class Command(BaseCommand):
    help = "Create or update the exercises from the packages in exercises/."

    def handle(self, *args, **options) -> None:
        try:
            report = Exercise.sync_from_packages()
        except PackageError as exc:
            raise CommandError(str(exc)) from None
        for what, slugs in report.items():
            if slugs:
                self.stdout.write(f"{what}: {', '.join(slugs)}")
