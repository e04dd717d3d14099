"""python manage.py export_grades OFFERING --format ... [--output FILE]."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from stride.gradebook.models import ExportLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(offering, make_item, make_user, submit):
    item = make_item()
    ada = make_user("ada", offering, first_name="Ada", last_name="Lovelace")
    submit(ada, item, timezone.now() - timedelta(hours=1), 0.5)
    return ada


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_grades", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_writes_the_canvas_format_to_stdout(graded) -> None:
    out, _ = run("cnn-101", "--format", "canvas")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "2D convolution"]
    assert rows[1][0] == "Points Possible" and rows[1][5] == "20"
    assert rows[2] == ["Lovelace, Ada", "", "", "ada", "How CNNs see", "10"]
    assert ExportLog.objects.get().via == "command"


def test_it_writes_a_file_with_a_byte_order_mark_when_asked(graded, tmp_path) -> None:
    target = tmp_path / "grades.csv"
    out, err = run("cnn-101", "--format", "moodle", "--output", str(target), "--bom", "--by", "ada")
    assert out == "" and "wrote 1 student(s)" in err
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfFirst name,Last name,ID number,Email address,")
    assert ExportLog.objects.get().username == "ada"


@pytest.mark.parametrize("fmt", ["csv", "details", "json"])
def test_every_format_is_written(graded, fmt: str) -> None:
    out, _ = run("cnn-101", "--format", fmt)
    assert "ada" in out


def test_it_names_what_is_wrong(graded, tmp_path) -> None:
    with pytest.raises(CommandError, match="no offering 'nope' \\(offerings: cnn-101\\)"):
        run("nope")
    with pytest.raises(CommandError, match="no account 'ghost'"):
        run("cnn-101", "--by", "ghost")
    with pytest.raises(CommandError, match="cannot write"):
        run("cnn-101", "--output", str(tmp_path / "missing" / "grades.csv"))
    assert not ExportLog.objects.exists()  # nothing was exported
    with pytest.raises(CommandError):
        run("cnn-101", "--format", "xlsx")
