"""Roster upload: accounts made and enrolled from a CSV, every bad row reported, nothing half-imported."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from stride.offerings.models import Enrollment
from stride.offerings.roster import import_roster, split_name

pytestmark = pytest.mark.django_db

GOOD = (
    "Name,E-mail,Student ID\n"
    "Ada Lovelace,ada@uni.example,S1\n"
    '"Turing, Alan",Alan@Uni.Example,S2\n'
    "Grace Brewster Hopper,grace@uni.example,\n"
)


def people() -> dict[str, tuple[str, str, str]]:
    return {u.username: (u.first_name, u.last_name, u.email) for u in get_user_model().objects.order_by("username")}


def test_it_creates_accounts_and_enrols_them_with_their_student_ids(offering) -> None:
    report = import_roster(offering, GOOD)
    assert report.ok, report.lines()
    assert report.created == ["ada@uni.example", "Alan@Uni.Example", "grace@uni.example"]
    assert people() == {
        "ada@uni.example": ("Ada", "Lovelace", "ada@uni.example"),
        "alan@uni.example": ("Alan", "Turing", "Alan@Uni.Example"),
        "grace@uni.example": ("Grace Brewster", "Hopper", "grace@uni.example"),
    }
    enrolled = Enrollment.objects.filter(offering=offering).values_list("user__username", "role", "student_id")
    assert sorted(enrolled) == [
        ("ada@uni.example", "student", "S1"),
        ("alan@uni.example", "student", "S2"),
        ("grace@uni.example", "student", ""),
    ]
    assert not get_user_model().objects.get(username="ada@uni.example").has_usable_password()


def test_it_enrols_existing_accounts_by_e_mail_and_updates_student_ids(offering, make_user) -> None:
    ada = make_user("ada", email="ADA@uni.example", first_name="Augusta")
    report = import_roster(offering, GOOD)
    assert report.enrolled == ["ada@uni.example"] and len(report.created) == 2
    ada.refresh_from_db()
    assert ada.first_name == "Augusta"  # an account's own name is left alone
    again = import_roster(offering, GOOD.replace(",S2", ",S2-new"))
    assert again.ok and again.updated == ["Alan@Uni.Example"] and len(again.unchanged) == 2
    assert get_user_model().objects.count() == 3


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(offering, make_user) -> None:
    make_user("boss", offering, Enrollment.Role.INSTRUCTOR, email="boss@uni.example")
    make_user("taken@uni.example", email="someone.else@uni.example")
    roster = (
        "name;email;student id\n"  # a spreadsheet that writes semicolons
        "Ada Lovelace;ada@uni.example;S1\n"
        ";nobody@uni.example;S2\n"
        "Alan Turing;not-an-address;S3\n"
        "\n"
        "Ada Again;ADA@uni.example;S4\n"
        "Grace Hopper;grace@uni.example;S1\n"
        "The Boss;boss@uni.example;S5\n"
        "Named Like An Account;taken@uni.example;S6\n"
        '"Multi\nLine";multi@uni.example;S7\n'
        f"Long Id;long@uni.example;{'9' * 65}\n"
    )
    report = import_roster(offering, roster)
    assert not report.ok
    assert [str(e) for e in report.errors] == [
        "line 3: name: empty",
        "line 4: e-mail: 'not-an-address' is not an e-mail address",
        "line 6: e-mail: ADA@uni.example is already on line 2",
        "line 7: student id: S1 is already on line 2",
        "line 8: e-mail: boss@uni.example is already enrolled as instructor",
        "line 9: e-mail: an account named taken@uni.example exists with another e-mail address",
        "line 12: student id: longer than 64 characters",
    ]
    assert report.lines()[0] == "nothing imported: 7 problem(s)"
    assert (
        not get_user_model()
        .objects.filter(email__endswith="@uni.example")
        .exclude(username="boss")
        .exclude(username="taken@uni.example")
        .exists()
    )
    assert Enrollment.objects.filter(offering=offering).count() == 1  # the instructor only


def test_a_student_id_of_another_student_is_refused(offering, make_user) -> None:
    other = make_user("other", email="other@uni.example")
    Enrollment.objects.create(offering=offering, user=other, student_id="S1")
    report = import_roster(offering, GOOD)
    assert [str(e) for e in report.errors] == ["line 2: student id: S1 belongs to another student of this offering"]


def test_it_reports_what_is_wrong_with_the_file_itself(offering) -> None:
    assert [str(e) for e in import_roster(offering, "").errors] == [
        "line 1: the file is empty; the first line must name the columns"
    ]
    missing = import_roster(offering, "Name,Phone\nAda,123\n")
    assert [str(e) for e in missing.errors] == [
        "line 1: no e-mail and no student id column (the header names: Name, Phone)"
    ]
    assert [str(e) for e in import_roster(offering, "name,email,student id\n\n").errors] == [
        "line 2: the roster has no students"
    ]
    latin1 = "name,email,student id\nJürgen,j@uni.example,1\n".encode("latin-1")
    assert [str(e) for e in import_roster(offering, latin1).errors] == [
        "line 2: the file is not UTF-8 text (save it as CSV UTF-8)"
    ]
    assert not get_user_model().objects.exists()


def test_it_reads_what_spreadsheets_write(offering) -> None:
    excel = "\ufeffStudent Name\tEmail Address\tStudent_ID\tGroup\r\nJürgen Groß\tj@uni.example\t7\tA\r\n"
    report = import_roster(offering, excel.encode("utf-8"))
    assert report.ok, report.lines()
    user = get_user_model().objects.get()
    assert (user.first_name, user.last_name) == ("Jürgen", "Groß")
    assert Enrollment.objects.get().student_id == "7"


def test_blank_lines_above_the_header_are_skipped_and_lines_keep_their_numbers(offering) -> None:
    header = "\r\n;;\r\nname;email;student id\r\n"  # as a spreadsheet with empty rows on top writes it
    assert [str(e) for e in import_roster(offering, header + ";ada@uni.example;S1\r\n").errors] == [
        "line 4: name: empty"
    ]
    report = import_roster(offering, header + "Ada Lovelace;ada@uni.example;S1\r\n")
    assert report.ok, report.lines()
    assert report.created == ["ada@uni.example"]


def test_what_the_database_cannot_store_is_a_bad_row_not_a_crash(offering, make_user) -> None:
    long_email = "a" * 140 + "@uni.example"  # a valid address, longer than a username may be
    make_user("someone", email="x" * 140 + "@uni.example")  # an existing account with a long address is fine
    roster = (
        "name,email,student id\n"
        "Ada\0Lovelace,ada@uni.example,S1\n"
        f"Long Address,{long_email},S2\n"
        f"Existing Long,{'x' * 140}@uni.example,S3\n"
        "Alan Turing,alan@uni.example,S\0 4\n"
    )
    report = import_roster(offering, roster)
    assert [str(e) for e in report.errors] == [
        "line 2: name: contains a NUL character",
        "line 3: e-mail: a new account's e-mail can have at most 150 characters",
        "line 5: student id: contains a NUL character",
    ]
    assert not Enrollment.objects.filter(offering=offering).exists()


def test_it_can_enrol_teaching_assistants(offering) -> None:
    report = import_roster(offering, "name,email,id\nTess Assist,tess@uni.example,\n", role=Enrollment.Role.TA)
    assert report.ok and Enrollment.objects.get().role == "ta"


@pytest.mark.parametrize(
    ("name", "split"),
    [("Ada Lovelace", ("Ada", "Lovelace")), ("Turing, Alan", ("Alan", "Turing")), ("Plato", ("", "Plato"))],
)
def test_it_splits_names(name: str, split: tuple[str, str]) -> None:
    assert split_name(name) == split
