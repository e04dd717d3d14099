"""``python manage.py sync_course [PATH ...]``: import or update course packages in place."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stride.courses.package import COURSES_DIR, BrokenPackage, course_dirs, load_course
from stride.courses.sync import sync_course


class Command(BaseCommand):
    help = (
        "Import or update course packages (folders holding course.toml; default: every package in "
        "exercises/courses/). A broken package is refused as a whole, listing each problem with its "
        "file and line; students' progress, reviews and attempts are never deleted."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", type=Path, help="course package folders")

    def handle(self, *args, paths: list[Path], **options) -> None:
        folders = paths or course_dirs(COURSES_DIR)
        if not folders:
            raise CommandError(f"no course packages in {COURSES_DIR}")
        packages = []
        failed = []
        for folder in folders:
            try:
                packages.append(load_course(folder))
            except BrokenPackage as broken:
                failed.append(folder)
                self.stderr.write(f"{folder}: refused, {len(broken.problems)} problem(s):")
                for problem in broken.problems:
                    self.stderr.write(f"  {problem}")
        if failed:
            # Nothing is imported when any package is broken, so a batch never lands half-way.
            raise CommandError(f"{len(failed)} broken package(s); nothing was imported")
        for package in packages:
            for line in sync_course(package).lines():
                self.stdout.write(line)
