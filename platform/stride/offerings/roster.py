"""Roster upload: a CSV of students (name, e-mail, student id) creates accounts and enrols them.

All or nothing: every row is checked first and any problem is reported with its line
number and what is wrong; only a roster without problems is written, in one transaction.
Rows are matched to existing accounts by e-mail (case does not matter); a new account gets
the e-mail as username and no usable password (its owner sets one through password reset).
Names are taken as ``Last, First`` when they hold a comma, otherwise the last word is the
last name. Existing accounts keep their names; an enrolment's student id is updated.

Spreadsheets write CSV in different ways, so: a UTF-8 byte order mark is skipped, the
delimiter may be a comma, semicolon or tab (whichever the header line uses), headers are
matched loosely ("E-mail", "email address", "Student ID", "student_id"...), extra columns
are ignored and blank lines skipped (above the header too).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from stride.offerings.models import Enrollment, Offering

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_NAME = 150  # Django's first_name and last_name
MAX_EMAIL = 254
MAX_STUDENT_ID = 64
COLUMNS = {
    "name": ("name", "full name", "student name", "student", "display name"),
    "email": ("email", "e mail", "email address", "e mail address", "mail"),
    "student_id": ("student id", "id", "student number", "matriculation number", "sis user id", "id number"),
}
LABELS = {"name": "name", "email": "e-mail", "student_id": "student id"}


@dataclass(frozen=True)
class RowError:
    line: int  # in the file, 1 for the header
    column: str | None  # name, e-mail or student id; None when the whole row or file is wrong
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: " + (f"{self.column}: " if self.column else "") + self.message


@dataclass
class RosterReport:
    created: list[str] = field(default_factory=list)  # new accounts (their e-mail), enrolled
    enrolled: list[str] = field(default_factory=list)  # existing accounts, newly enrolled
    updated: list[str] = field(default_factory=list)  # already enrolled; the student id changed
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        if self.errors:
            return [f"nothing imported: {len(self.errors)} problem(s)", *map(str, self.errors)]
        return [
            f"{len(self.created)} account(s) created, {len(self.enrolled)} enrolled, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged"
        ]


@dataclass
class _Row:
    line: int
    name: str
    email: str
    student_id: str


def _key(header: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", header.strip().lstrip("\ufeff").casefold()).strip()


def _decode(data: str | bytes) -> tuple[str | None, RowError | None]:
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), None
    if len(data) > MAX_BYTES:
        return None, RowError(1, None, f"the file is {len(data)} bytes; at most {MAX_BYTES} are read")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, RowError(line, None, "the file is not UTF-8 text (save it as CSV UTF-8)")


def split_name(name: str) -> tuple[str, str]:
    """(first, last) from ``Last, First`` or ``First Middle Last``."""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.strip().rpartition(" ")
    return (first.strip(), last.strip()) if first else ("", last.strip())


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _read(text: str, report: RosterReport) -> list[_Row]:
    # The header is the first line that is not blank (spreadsheets may leave empty lines above it).
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        while _blank(header):
            header = next(reader)
    except StopIteration:
        report.errors.append(RowError(1, None, "the file is empty; the first line must name the columns"))
        return []
    except csv.Error as error:
        report.errors.append(RowError(reader.line_num or 1, None, f"the header line cannot be read: {error}"))
        return []
    header_line = reader.line_num
    where: dict[str, int] = {}
    for index, title in enumerate(header):
        for column, aliases in COLUMNS.items():
            if _key(title) in aliases:
                if column in where:
                    report.errors.append(RowError(header_line, None, f"two columns hold the {LABELS[column]}"))
                where[column] = index
    missing = [LABELS[c] for c in COLUMNS if c not in where]
    if missing:
        names = ", ".join(header)[:200]
        report.errors.append(
            RowError(header_line, None, f"no {' and no '.join(missing)} column (the header names: {names})")
        )
    if report.errors:
        return []
    rows: list[_Row] = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            start, line = line, reader.line_num + 1
            if _blank(cells):
                continue
            if len(rows) == MAX_ROWS:
                report.errors.append(RowError(start, None, f"more than {MAX_ROWS} rows; split the roster"))
                break
            value = {c: (cells[i].strip() if i < len(cells) else "") for c, i in where.items()}
            rows.append(_Row(start, value["name"], value["email"], value["student_id"]))
    except csv.Error as error:
        report.errors.append(RowError(line, None, f"the line cannot be read as CSV: {error}"))
    return rows


def _check(rows: list[_Row], offering: Offering, role: str, report: RosterReport) -> dict[int, object]:
    """Every row's problems into the report; returns line -> existing user (for those that have one)."""
    model = get_user_model()
    users = model.objects
    # A new account is named after its e-mail address, which the username field must hold.
    max_username = model._meta.get_field(model.USERNAME_FIELD).max_length or MAX_EMAIL
    emails_seen: dict[str, int] = {}
    ids_seen: dict[str, int] = {}
    existing: dict[int, object] = {}
    ids_taken = dict(
        Enrollment.objects.filter(offering=offering).exclude(student_id="").values_list("student_id", "user__email")
    )
    for row in rows:
        problems = len(report.errors)
        for column, value in (("name", row.name), ("e-mail", row.email), ("student id", row.student_id)):
            if "\0" in value:  # a database text column cannot hold one
                report.errors.append(RowError(row.line, column, "contains a NUL character"))
        if len(report.errors) > problems:
            continue
        if not row.name:
            report.errors.append(RowError(row.line, "name", "empty"))
        elif len(row.name) > MAX_NAME:
            report.errors.append(RowError(row.line, "name", f"longer than {MAX_NAME} characters"))
        if not row.email:
            report.errors.append(RowError(row.line, "e-mail", "empty"))
        else:
            try:
                if len(row.email) > MAX_EMAIL:
                    raise ValidationError("too long")
                validate_email(row.email)
            except ValidationError:
                report.errors.append(RowError(row.line, "e-mail", f"{row.email[:80]!r} is not an e-mail address"))
        if len(row.student_id) > MAX_STUDENT_ID:
            report.errors.append(RowError(row.line, "student id", f"longer than {MAX_STUDENT_ID} characters"))
        if len(report.errors) > problems:
            continue
        email = row.email.casefold()
        if email in emails_seen:
            report.errors.append(RowError(row.line, "e-mail", f"{row.email} is already on line {emails_seen[email]}"))
            continue
        emails_seen[email] = row.line
        if row.student_id:
            if row.student_id in ids_seen:
                report.errors.append(
                    RowError(row.line, "student id", f"{row.student_id} is already on line {ids_seen[row.student_id]}")
                )
                continue
            ids_seen[row.student_id] = row.line
            holder = ids_taken.get(row.student_id)
            if holder is not None and holder.casefold() != email:
                report.errors.append(
                    RowError(row.line, "student id", f"{row.student_id} belongs to another student of this offering")
                )
                continue
        matches = list(users.filter(email__iexact=row.email)[:2])
        if len(matches) > 1:
            report.errors.append(RowError(row.line, "e-mail", "several accounts have this e-mail; enrol by hand"))
            continue
        if matches:
            user = matches[0]
            current = Enrollment.objects.filter(offering=offering, user=user).values_list("role", flat=True).first()
            if current is not None and current != role:
                report.errors.append(RowError(row.line, "e-mail", f"{row.email} is already enrolled as {current}"))
                continue
            existing[row.line] = user
        elif len(row.email) > max_username:
            report.errors.append(
                RowError(row.line, "e-mail", f"a new account's e-mail can have at most {max_username} characters")
            )
        elif users.filter(username__iexact=row.email).exists():
            report.errors.append(
                RowError(row.line, "e-mail", f"an account named {row.email} exists with another e-mail address")
            )
    return existing


def import_roster(offering: Offering, data: str | bytes, *, role: str = Enrollment.Role.STUDENT) -> RosterReport:
    """Check the roster ``data`` (CSV) and, only if every row is right, create and enrol its people."""
    report = RosterReport()
    text, problem = _decode(data)
    if problem is not None:
        report.errors.append(problem)
        return report
    rows = _read(text, report)
    if report.errors:
        return report
    if not rows:
        report.errors.append(RowError(2, None, "the roster has no students"))
        return report
    existing = _check(rows, offering, role, report)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for row in rows:
                _write(row, existing.get(row.line), offering, role, report)
    except IntegrityError:
        # Someone else enrolled or created one of these accounts meanwhile; nothing was written.
        return RosterReport(errors=[RowError(1, None, "the roster changed while it was imported; try again")])
    return report


def _write(row: _Row, user, offering: Offering, role: str, report: RosterReport) -> None:
    if user is None:
        first, last = split_name(row.name)
        user = get_user_model()(username=row.email.lower(), email=row.email, first_name=first, last_name=last)
        user.set_unusable_password()
        user.save()
        Enrollment.objects.create(offering=offering, user=user, role=role, student_id=row.student_id)
        report.created.append(row.email)
        return
    enrolment = Enrollment.objects.filter(offering=offering, user=user).first()
    if enrolment is None:
        Enrollment.objects.create(offering=offering, user=user, role=role, student_id=row.student_id)
        report.enrolled.append(row.email)
    elif row.student_id and enrolment.student_id != row.student_id:
        enrolment.student_id = row.student_id
        enrolment.save(update_fields=["student_id"])
        report.updated.append(row.email)
    else:
        report.unchanged.append(row.email)
