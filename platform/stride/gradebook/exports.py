"""Grade exports: the gradebook as CSV for spreadsheets, for Canvas, for Moodle, and as JSON.

Formats (all text; CSV written by the csv module, comma-separated, CRLF line ends):

- ``csv``: one row per student: Name, Username, Email, Student ID, one column per item (the
  points that count), Total. (The items' maximum points are in the Canvas and JSON exports.)
- ``details``: one row per submission or quiz attempt, with its score, lateness, penalty,
  points and whether it is the one that counts; times in the offering's time zone.
- ``canvas``: Canvas's gradebook import: ``Student, ID, SIS User ID, SIS Login ID, Section``,
  then one column per item, and a second row ``Points Possible``. Student is "Last, First";
  ID (Canvas's own user id) is left empty, so Canvas matches rows by SIS User ID (the
  roster's student id) or SIS Login ID (the username). No total column: Canvas would take
  it for a new assignment.
- ``moodle``: for Moodle's "Import grades from CSV": ``First name, Last name, ID number,
  Email address``, then one column per item. In Moodle map "Email address" to useremail (or
  "ID number" to useridnumber) and each item column to a grade item (or a new one). No
  total: Moodle computes the course total itself.
- ``json``: the same data as the gradebook and details, for scripts and the API.

Empty cells mean no attempt counts (yet). Text that a spreadsheet would take for a formula
(starting with = + - @) gets a leading apostrophe. :func:`export` computes, renders and
logs (ExportLog: who, when, which format, through what); every way out goes through it.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from stride.gradebook.grades import Gradebook, compute_gradebook
from stride.gradebook.models import ExportLog
from stride.offerings import policy
from stride.offerings.models import Offering

FORMATS = ("csv", "details", "canvas", "moodle", "json")
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["First name", "Last name", "ID number", "Email address"]
POINTS_POSSIBLE = "Points Possible"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    text: str
    rows: int  # students

    def encoded(self, bom: bool = True) -> bytes:
        """UTF-8; CSV with a byte order mark by default, so spreadsheets read accents right."""
        data = self.text.encode("utf-8")
        return b"\xef\xbb\xbf" + data if bom and self.content_type.startswith("text/csv") else data


def number(value: float | None) -> str:
    """Points as a spreadsheet reads them: at most 2 decimals, no trailing zeros; empty for None (or NaN).

    Rounded half up from the number as written (2.025 is 2.03), as the gradebook page's
    ``floatformat`` does: ``round()`` works on the binary value, just below 2.025, and would
    write 2.02 where the page shows 2.03.
    """
    if value is None or not math.isfinite(value):
        return ""
    rounded = Decimal(repr(float(value))).quantize(CENTS, rounding=ROUND_HALF_UP)
    text = f"{rounded:f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def text(value: str) -> str:
    """User-supplied text, defused for spreadsheets that evaluate formulas."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def local(moment: datetime | None, zone_name: str) -> str:
    return "" if moment is None else policy.to_local(moment, zone_name).strftime("%Y-%m-%d %H:%M:%S")


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def gradebook_csv(book: Gradebook) -> str:
    header = ["Name", "Username", "Email", "Student ID", *[c.label for c in book.columns], "Total"]
    rows = [
        [
            text(r.name),
            text(r.username),
            text(r.email),
            text(r.student_id),
            *[number(cell.points) for cell in r.cells],
            number(r.total),
        ]
        for r in book.rows
    ]
    return _write([header, *rows])


DETAILS_HEADER = [
    "Name", "Username", "Email", "Student ID", "Item", "Kind", "Attempt", "Id", "Submitted", "Time zone",
    "Status", "Verdict", "Score", "Raw points", "Days late", "Penalty %", "Points", "Accepted", "Counted",
    "Due (student)", "Extended",
]  # fmt: skip


def details_csv(book: Gradebook) -> str:
    zone_name = book.offering.time_zone
    rows = [DETAILS_HEADER]
    for row, column, attempt in book.details():
        cell = next(c for c in row.cells if c.item_id == column.item_id)
        rows.append(
            [
                text(row.name),
                text(row.username),
                text(row.email),
                text(row.student_id),
                column.label,
                attempt.kind,
                str(attempt.number),
                str(attempt.id),
                local(attempt.submitted_at, zone_name),
                zone_name,
                attempt.status,
                attempt.verdict,
                "" if attempt.score is None else f"{attempt.score:.4f}".rstrip("0").rstrip(".") or "0",
                number(attempt.raw_points),
                str(attempt.days_late),
                number(attempt.penalty_percent),
                number(attempt.points),
                "yes" if attempt.accepted else "no",
                "yes" if attempt.counted else "no",
                local(cell.due_at, zone_name),
                "yes" if cell.extended else "no",
            ]
        )
    return _write(rows)


def canvas_csv(book: Gradebook) -> str:
    section = text(book.offering.title)
    header = [*CANVAS_HEADER, *[c.label for c in book.columns]]
    possible = [POINTS_POSSIBLE, "", "", "", "", *[number(c.points) for c in book.columns]]
    rows = [
        [text(r.sortable_name), "", text(r.student_id), text(r.username), section, *[number(c.points) for c in r.cells]]
        for r in book.rows
    ]
    return _write([header, possible, *rows])


def moodle_csv(book: Gradebook) -> str:
    header = [*MOODLE_HEADER, *[c.label for c in book.columns]]
    rows = [
        [text(r.first_name or r.username), text(r.last_name), text(r.student_id), text(r.email),
         *[number(c.points) for c in r.cells]]
        for r in book.rows
    ]  # fmt: skip
    return _write([header, *rows])


def gradebook_json(book: Gradebook) -> dict[str, Any]:
    """The gradebook as JSON-ready data (datetimes stay datetimes; the encoder writes ISO 8601)."""
    offering = book.offering
    return {
        "offering": {"slug": offering.slug, "title": offering.title, "time_zone": offering.time_zone},
        "generated_at": book.generated_at,
        "possible_total": book.possible_total,
        "items": [
            {
                "id": c.item_id,
                "key": c.key,
                "kind": c.kind,
                "title": c.title,
                "label": c.label,
                "points": c.points,
                "opens_at": c.opens_at,
                "due_at": c.due_at,
                "closes_at": c.closes_at,
                "late_policy": c.late_policy,
                "penalty_per_day": c.penalty_per_day,
                "penalty_cap": c.penalty_cap,
                "counts": c.counts,
                "max_attempts": c.max_attempts,
            }
            for c in book.columns
        ],
        "students": [
            {
                "id": r.user_id,
                "username": r.username,
                "name": r.name,
                "email": r.email,
                "student_id": r.student_id,
                "total": r.total,
                "grades": [
                    {
                        "item": cell.item_id,
                        "points": cell.points,
                        "raw_points": cell.raw_points,
                        "days_late": cell.days_late,
                        "penalty_percent": cell.penalty_percent,
                        "due_at": cell.due_at,
                        "closes_at": cell.closes_at,
                        "extended": cell.extended,
                        "pending": cell.pending,
                        "attempts": [
                            {
                                "kind": a.kind,
                                "id": a.id,
                                "number": a.number,
                                "submitted_at": a.submitted_at,
                                "status": a.status,
                                "verdict": a.verdict or None,
                                "score": a.score,
                                "raw_points": a.raw_points,
                                "days_late": a.days_late,
                                "penalty_percent": a.penalty_percent,
                                "points": a.points,
                                "accepted": a.accepted,
                                "counted": a.counted,
                            }
                            for a in cell.attempts
                        ],
                    }
                    for cell in r.cells
                ],
            }
            for r in book.rows
        ],
    }


def render(book: Gradebook, fmt: str) -> str:
    if fmt == "csv":
        return gradebook_csv(book)
    if fmt == "details":
        return details_csv(book)
    if fmt == "canvas":
        return canvas_csv(book)
    if fmt == "moodle":
        return moodle_csv(book)
    if fmt == "json":
        return json.dumps(gradebook_json(book), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")


def log_export(offering: Offering, fmt: str, *, by=None, via: str, rows: int) -> ExportLog:
    return ExportLog.objects.create(
        offering=offering,
        offering_slug=offering.slug,
        user=by if by is not None and by.is_authenticated else None,
        username=by.get_username() if by is not None and by.is_authenticated else "",
        format=fmt,
        via=via,
        rows=rows,
    )


def export(
    offering: Offering,
    fmt: str,
    *,
    by=None,
    via: str = ExportLog.Via.WEB,
    now: datetime | None = None,
    log: bool = True,
) -> ExportFile:
    """Compute the gradebook, render it in ``fmt`` and log the export. ValueError for an unknown format.

    Who may export is the caller's check (``stride.offerings.roles.require_teaching``). A caller
    that can still fail to deliver the file passes ``log=False`` and calls :func:`log_export` after.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    book = compute_gradebook(offering, now=now)
    rendered = render(book, fmt)
    if log:
        log_export(offering, fmt, by=by, via=via, rows=len(book.rows))
    stamp = (now or timezone.now()).strftime("%Y%m%d-%H%M")
    extension = "json" if fmt == "json" else "csv"
    suffix = "grades" if fmt == "csv" else f"grades-{fmt}"
    return ExportFile(
        filename=f"{offering.slug}-{suffix}-{stamp}.{extension}",
        content_type="application/json" if fmt == "json" else "text/csv; charset=utf-8",
        text=rendered,
        rows=len(book.rows),
    )
