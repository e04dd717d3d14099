"""Exports written, parsed back with the csv module, and matched to the stored grades."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from stride.exercises.models import Exercise
from stride.gradebook.exports import CANVAS_HEADER, MOODLE_HEADER, export
from stride.gradebook.grades import compute_gradebook
from stride.gradebook.models import ExportLog
from stride.offerings.models import Enrollment, Extension

pytestmark = pytest.mark.django_db

DUE = datetime(2025, 3, 14, 22, 59, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def graded(offering, make_item, make_user, submit):
    """Two items, three students (one with nothing), late work, an extension, and a teacher."""
    relu = Exercise.objects.create(slug="relu", title="ReLU, fast", function="relu", version="v", statement="",
                                   starter="", max_points=9.0)  # fmt: skip
    conv = make_item(due_at=DUE, closes_at=DUE + 7 * DAY, late_policy="penalty", penalty_per_day=10, penalty_cap=50)
    second = make_item(exercise=relu, position=1, points=10.0, due_at=DUE, counts="last")
    ada = make_user("ada", offering, first_name="Ada", last_name="Lovelace", email="ada@uni.example")
    Enrollment.objects.filter(user=ada).update(student_id="S1")
    alan = make_user("alan", offering, first_name="Alan", last_name="Turing", email="alan@uni.example")
    make_user("=cmd", offering, first_name="=HYPERLINK(1)", last_name="Evil", email="evil@uni.example")
    make_user("teacher", offering, Enrollment.Role.INSTRUCTOR)
    submit(ada, conv, DUE - HOUR, 0.75, failing=(("hidden: big", "wrong_values"),))
    submit(ada, conv, DUE + DAY + HOUR, 1.0)  # day 2: 16 of 20
    submit(ada, second, DUE - HOUR, 0.5)
    submit(alan, conv, DUE + 2 * DAY, 1.0)
    Extension.objects.create(item=conv, user=alan, due_at=DUE + 3 * DAY)
    return {"items": (conv, second), "students": (ada, alan)}


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def expected(offering) -> dict[str, list]:
    """username -> the stored grades per item, then the total, as the gradebook computes them."""
    book = compute_gradebook(offering)
    return {r.username: [*[c.points for c in r.cells], r.total] for r in book.rows}


def number(cell: str) -> float | None:
    return float(cell) if cell else None


def test_the_gradebook_csv_has_one_row_per_student_matching_the_grades(offering, graded) -> None:
    rows = parse(export(offering, "csv").text)
    assert rows[0] == ["Name", "Username", "Email", "Student ID", "2D convolution", "ReLU, fast", "Total"]
    by_user = {row[1]: row for row in rows[1:]}
    assert set(by_user) == {"ada", "alan", "'=cmd"}
    stored = expected(offering)
    for username, row in by_user.items():
        assert [number(cell) for cell in row[4:]] == stored[username.lstrip("'")]
    assert by_user["ada"][:4] == ["Ada Lovelace", "ada", "ada@uni.example", "S1"]
    assert by_user["ada"][4:] == ["16", "5", "21"]
    assert by_user["alan"][4:] == ["20", "", "20"]  # on time thanks to the extension
    assert by_user["'=cmd"][0] == "'=HYPERLINK(1) Evil"  # no formula in a spreadsheet


def test_the_details_csv_has_one_row_per_attempt(offering, graded) -> None:
    rows = parse(export(offering, "details").text)
    header, body = rows[0], rows[1:]
    assert len(body) == 4
    records = [dict(zip(header, row, strict=True)) for row in body]
    ada_conv = [r for r in records if r["Username"] == "ada" and r["Item"] == "2D convolution"]
    assert [(r["Attempt"], r["Days late"], r["Penalty %"], r["Points"], r["Counted"]) for r in ada_conv] == [
        ("1", "0", "0", "15", "no"),
        ("2", "2", "20", "16", "yes"),
    ]
    assert ada_conv[0]["Submitted"] == "2025-03-14 22:59:00" and ada_conv[0]["Time zone"] == "Europe/Berlin"
    alan = next(r for r in records if r["Username"] == "alan")
    assert (alan["Extended"], alan["Due (student)"], alan["Days late"]) == ("yes", "2025-03-17 23:59:00", "0")


def test_the_canvas_csv_starts_with_its_columns_and_a_points_possible_row(offering, graded) -> None:
    rows = parse(export(offering, "canvas").text)
    assert rows[0] == [*CANVAS_HEADER, "2D convolution", "ReLU, fast"]
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1] == ["Points Possible", "", "", "", "", "20", "10"]
    by_login = {row[3]: row for row in rows[2:]}
    assert by_login["ada"] == ["Lovelace, Ada", "", "S1", "ada", "How CNNs see", "16", "5"]
    stored = expected(offering)
    for login, row in by_login.items():
        assert [number(c) for c in row[5:]] == stored[login.lstrip("'")][:-1]


def test_the_moodle_csv_identifies_students_by_e_mail_and_id_number(offering, graded) -> None:
    rows = parse(export(offering, "moodle").text)
    assert rows[0] == [*MOODLE_HEADER, "2D convolution", "ReLU, fast"]
    by_email = {row[3]: row for row in rows[1:]}
    assert by_email["ada@uni.example"] == ["Ada", "Lovelace", "S1", "ada@uni.example", "16", "5"]
    assert by_email["alan@uni.example"][4:] == ["20", ""]
    assert len(rows) == 4


def test_the_json_export_holds_the_same_grades(offering, graded) -> None:
    data = json.loads(export(offering, "json").text)
    assert [i["label"] for i in data["items"]] == ["2D convolution", "ReLU, fast"]
    stored = expected(offering)
    for student in data["students"]:
        assert [g["points"] for g in student["grades"]] + [student["total"]] == stored[student["username"]]
    ada = next(s for s in data["students"] if s["username"] == "ada")
    assert [a["counted"] for a in ada["grades"][0]["attempts"]] == [False, True]
    assert datetime.fromisoformat(ada["grades"][0]["attempts"][0]["submitted_at"]) == DUE - HOUR


def test_every_export_is_logged(offering, graded) -> None:
    teacher = Enrollment.objects.get(role="instructor").user
    export(offering, "canvas", by=teacher)
    export(offering, "moodle", via="command")
    logged = list(ExportLog.objects.order_by("id").values_list("format", "via", "username", "rows", "offering_slug"))
    assert logged == [("canvas", "web", "teacher", 3, "cnn-101"), ("moodle", "command", "", 3, "cnn-101")]


def test_csv_files_for_spreadsheets_start_with_a_byte_order_mark(offering, graded) -> None:
    exported = export(offering, "canvas")
    assert exported.encoded().startswith(b"\xef\xbb\xbfStudent,ID,")
    assert exported.encoded(bom=False).startswith(b"Student,ID,")
    assert not export(offering, "json").encoded().startswith(b"\xef\xbb\xbf")
    assert exported.filename.startswith("cnn-101-grades-canvas-") and exported.filename.endswith(".csv")


def test_an_unknown_format_is_refused_and_not_logged(offering) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(offering, "xlsx")
    assert not ExportLog.objects.exists()
