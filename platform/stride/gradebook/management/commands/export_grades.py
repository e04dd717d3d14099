"""``python manage.py export_grades OFFERING --format canvas|moodle|csv|details|json [--output FILE]``."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from stride.gradebook.exports import FORMATS, export, log_export
from stride.gradebook.models import ExportLog
from stride.offerings.models import Offering


class Command(BaseCommand):
    help = (
        "Write an offering's grades (after late policy and extensions) to stdout or a file: csv (one row per "
        "student), details (one row per attempt), canvas or moodle (their gradebook imports), json. "
        "Every export is logged."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("offering", help="the offering's slug, e.g. demo")
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="fmt")
        parser.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
        parser.add_argument("--bom", action="store_true", help="start CSV with a UTF-8 byte order mark (for Excel)")
        parser.add_argument("--by", metavar="USERNAME", help="the account the export is logged for")

    def handle(self, *args, offering: str, fmt: str, output: Path | None, bom: bool, by: str | None, **options):
        found = Offering.objects.filter(slug=offering).first()
        if found is None:
            known = ", ".join(Offering.objects.order_by("slug").values_list("slug", flat=True)[:20]) or "none"
            raise CommandError(f"no offering {offering!r} (offerings: {known})")
        user = None
        if by is not None:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"no account {by!r}")
        exported = export(found, fmt, by=user, via=ExportLog.Via.COMMAND, log=False)
        if output is None:
            self.stdout.write(("\ufeff" if bom and fmt != "json" else "") + exported.text, ending="")
        else:
            try:
                output.write_bytes(exported.encoded(bom=bom))
            except OSError as error:
                raise CommandError(f"cannot write {output}: {error.strerror or error}") from None
            self.stderr.write(f"wrote {exported.rows} student(s) to {output}")
        log_export(found, fmt, by=user, via=ExportLog.Via.COMMAND, rows=exported.rows)
