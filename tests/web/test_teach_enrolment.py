# ruff: noqa: F811 - the fixtures come from tests/web/teach_support.py, imported by name
"""Enrolment: the roster with roles, invite links per role, joining through one, CSV roster upload."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from stride.offerings.models import Enrollment, Invitation
from tests.web.conftest import Visitor
from tests.web.teach_support import (  # noqa: F401 - fixtures
    _no_rate_limit,
    assert_login_redirect,
    instructor,
    row,
    strict_client,
    ta,
    text,
    visitor,
)

GOOD_ROSTER = 'Name,E-mail,Student ID\n"Lovelace, Ada",ada@uni.example,S1\nAlan Turing,alan@uni.example,S2\n'
BAD_ROSTER = (
    "name;email;student id\n"
    "Grace Hopper;grace@uni.example;S3\n"
    ";nobody@uni.example;S4\n"
    "Katherine Johnson;not-an-address;S5\n"
    "Hedy Lamarr;grace@uni.example;S6\n"
)


def upload(visitor: Visitor, content: str, role: str = "student", name: str = "roster.csv"):
    file = SimpleUploadedFile(name, content.encode("utf-8"), content_type="text/csv")
    return visitor.client.post("/teach/spring/people/roster", {"roster": file, "role": role})


def invite_url(html: bytes) -> str:
    found = re.search(r'value="(http://testserver/teach/join/[^"]+/)"', html.decode())
    assert found, "no invite link on the page"
    return found.group(1).removeprefix("http://testserver")


def test_it_lists_everyone_with_their_role(offering, instructor: Visitor, ta: Visitor, student: Visitor) -> None:
    html = instructor.client.get("/teach/spring/people/").content
    assert "instructor" in row(html, "data-username", "irene") and "Irene Instructor" in row(
        html, "data-username", "irene"
    )
    assert " TA " in f" {row(html, 'data-username', 'tom')} "
    assert "student" in row(html, "data-username", "ada")
    assert html.decode().index('data-username="irene"') < html.decode().index('data-username="ada"')


def test_an_invite_link_is_made_followed_and_counted(offering, instructor: Visitor, outsider: Visitor) -> None:
    response = instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "create"})
    assert response.status_code == 302
    link = invite_url(instructor.client.get("/teach/spring/people/").content)
    page = outsider.client.get(link)
    assert page.status_code == 200 and "makes you a student of Spring term" in text(page.content)
    joined = outsider.client.post(link)
    assert joined.status_code == 302 and joined["Location"] == "/courses/cnn-features/"
    assert Enrollment.objects.get(offering=offering, user=outsider.user).role == "student"
    assert Invitation.objects.get(offering=offering, role="student").uses == 1
    assert "used by 1" in text(instructor.client.get("/teach/spring/people/").content)


def test_a_ta_link_makes_a_ta_who_lands_on_the_teaching_pages(offering, instructor: Visitor, student: Visitor) -> None:
    instructor.client.post("/teach/spring/people/invites", {"role": "ta", "action": "create"})
    token = Invitation.objects.get(role="ta").token
    response = student.client.post(f"/teach/join/{token}/")
    assert response.status_code == 302 and response["Location"] == "/teach/spring/"
    assert Enrollment.objects.get(offering=offering, user=student.user).role == "ta"
    assert student.client.get("/teach/spring/").status_code == 200


def test_replacing_or_revoking_a_link_makes_the_old_one_useless(offering, instructor: Visitor, outsider) -> None:
    instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "create"})
    old = Invitation.objects.get(role="student").token
    instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "replace"})
    new = Invitation.objects.get(role="student", revoked_at__isnull=True).token
    assert new != old
    assert outsider.client.get(f"/teach/join/{old}/").status_code == 404
    assert outsider.client.post(f"/teach/join/{old}/").status_code == 404
    instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "revoke"})
    assert outsider.client.post(f"/teach/join/{new}/").status_code == 404
    assert not Enrollment.objects.filter(user=outsider.user).exists()
    assert b"No live link." in instructor.client.get("/teach/spring/people/").content


def test_following_a_link_needs_login_and_a_post(offering, instructor: Visitor, anonymous: Visitor, outsider) -> None:
    instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "create"})
    token = Invitation.objects.get(role="student").token
    assert_login_redirect(anonymous.client.get(f"/teach/join/{token}/"), "")
    assert_login_redirect(anonymous.client.post(f"/teach/join/{token}/"), "")
    assert outsider.client.put(f"/teach/join/{token}/").status_code == 405
    assert strict_client(outsider.user).post(f"/teach/join/{token}/").status_code == 403
    assert outsider.client.get("/teach/join/" + "x" * 80 + "/").status_code == 404
    assert not Enrollment.objects.filter(user=outsider.user).exists()


def test_an_expired_link_enrols_no_one(offering, instructor: Visitor, outsider: Visitor) -> None:
    instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "create"})
    link = Invitation.objects.get(role="student")
    Invitation.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = outsider.client.get(f"/teach/join/{link.token}/")
    assert page.status_code == 403 and b"This invite link has expired." in page.content
    assert outsider.client.post(f"/teach/join/{link.token}/").status_code == 403
    assert not Enrollment.objects.filter(user=outsider.user).exists()


def test_joining_never_lowers_a_role(offering, instructor: Visitor) -> None:
    instructor.client.post("/teach/spring/people/invites", {"role": "student", "action": "create"})
    token = Invitation.objects.get(role="student").token
    response = instructor.client.post(f"/teach/join/{token}/", follow=True)
    assert "already in Spring term as instructor" in text(response.content)
    assert Enrollment.objects.get(user=instructor.user).role == "instructor"


def test_a_roster_enrols_everyone_in_it(offering, instructor: Visitor) -> None:
    response = upload(instructor, GOOD_ROSTER)
    assert response.status_code == 302
    ada = Enrollment.objects.get(offering=offering, user__email="ada@uni.example")
    assert (ada.role, ada.student_id, ada.user.first_name, ada.user.last_name) == ("student", "S1", "Ada", "Lovelace")
    assert Enrollment.objects.filter(offering=offering, role="student").count() == 2
    page = instructor.client.get("/teach/spring/people/")
    assert "2 account(s) created" in text(page.content) and "S2" in row(
        page.content, "data-username", "alan@uni.example"
    )


def test_a_roster_with_bad_rows_imports_nothing_and_says_what_is_wrong_on_which_line(
    offering, instructor: Visitor
) -> None:
    response = upload(instructor, BAD_ROSTER)
    assert response.status_code == 422
    html = text(response.content)
    assert "Nothing was imported: 3 problems to fix first." in html
    assert "Line 3, name: empty" in html
    assert "Line 4, e-mail: 'not-an-address' is not an e-mail address" in html
    assert "Line 5, e-mail: grace@uni.example is already on line 2" in html
    assert not Enrollment.objects.filter(offering=offering, role="student").exists()


def test_a_roster_that_is_not_text_is_refused_whole(offering, instructor: Visitor) -> None:
    file = SimpleUploadedFile("roster.xlsx", b"PK\x03\x04\xff\xfe\x00binary", content_type="application/vnd.ms-excel")
    response = instructor.client.post("/teach/spring/people/roster", {"roster": file, "role": "student"})
    assert response.status_code == 422 and b"not UTF-8 text" in response.content
    missing = instructor.client.post("/teach/spring/people/roster", {"role": "student"})
    assert missing.status_code == 422 and b"This field is required." in missing.content


def test_tas_see_the_roster_but_not_the_links_and_cannot_change_it(offering, instructor, ta: Visitor) -> None:
    instructor.client.post("/teach/spring/people/invites", {"role": "instructor", "action": "create"})
    page = ta.client.get("/teach/spring/people/")
    assert page.status_code == 200 and b"/teach/join/" not in page.content and b"Upload a roster" not in page.content
    assert (
        ta.client.post("/teach/spring/people/invites", {"role": "instructor", "action": "replace"}).status_code == 403
    )
    assert upload(ta, GOOD_ROSTER).status_code == 403
    assert Enrollment.objects.filter(offering=offering).count() == 2


def test_students_and_anonymous_visitors_are_kept_out(offering, student: Visitor, anonymous: Visitor) -> None:
    assert student.client.get("/teach/spring/people/").status_code == 403
    assert student.client.post("/teach/spring/people/invites", {"role": "ta", "action": "create"}).status_code == 403
    assert upload(student, GOOD_ROSTER).status_code == 403
    assert_login_redirect(anonymous.client.get("/teach/spring/people/"), "")
    assert not Invitation.objects.exists()


def test_invites_refuse_bad_input_wrong_methods_and_missing_csrf(offering, instructor: Visitor) -> None:
    assert (
        instructor.client.post("/teach/spring/people/invites", {"role": "owner", "action": "create"}).status_code == 400
    )
    assert instructor.client.post("/teach/spring/people/invites", {"role": "ta", "action": "delete"}).status_code == 400
    assert instructor.client.get("/teach/spring/people/invites").status_code == 405
    assert instructor.client.get("/teach/spring/people/roster").status_code == 405
    strict = strict_client(instructor.user)
    assert strict.post("/teach/spring/people/invites", {"role": "ta", "action": "create"}).status_code == 403
    assert not Invitation.objects.exists()


def test_a_user_with_an_account_is_matched_by_e_mail(offering, instructor: Visitor) -> None:
    existing = visitor("ada-existing", email="ADA@uni.example")
    assert upload(instructor, GOOD_ROSTER).status_code == 302
    assert Enrollment.objects.get(offering=offering, user=existing.user).student_id == "S1"
