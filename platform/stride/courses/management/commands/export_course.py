"""``python manage.py export_course SLUG DEST``: write a stored course back as a course package."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stride.courses.export import export_course
from stride.courses.models import Course


class Command(BaseCommand):
    help = "Write the course SLUG as a course package into the folder DEST (the format sync_course reads)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("destination", type=Path)
        parser.add_argument("--force", action="store_true", help="write into a folder that is not empty")

    def handle(self, *args, slug: str, destination: Path, force: bool, **options) -> None:
        course = Course.objects.filter(slug=slug).first()
        if course is None:
            known = ", ".join(Course.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no course {slug!r} (known: {known})")
        if destination.exists() and not destination.is_dir():
            raise CommandError(f"{destination} exists and is not a folder")
        if destination.is_dir() and any(destination.iterdir()) and not force:
            raise CommandError(f"{destination} is not empty; pass --force to write into it")
        written = export_course(course, destination)
        self.stdout.write(f"course {slug}: wrote {len(written)} files to {destination}")
