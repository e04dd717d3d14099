"""API tokens in the Django admin: listed and deletable (revoked), never added there."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.test import Client

from stride.api.models import ApiToken
from tests.api.support import Persona


def test_it_lists_tokens_without_their_secret(student_a: Persona) -> None:
    admin = get_user_model().objects.create_superuser("admin", password="admin-password")
    browser = Client()
    browser.force_login(admin)
    response = browser.get("/admin/api/apitoken/")
    assert response.status_code == 200
    assert b"student_a" in response.content
    assert student_a.api.token.encode() not in response.content


def test_it_revokes_a_token_deleted_there(student_a: Persona, exercise) -> None:
    admin = get_user_model().objects.create_superuser("admin", password="admin-password")
    browser = Client()
    browser.force_login(admin)
    row = ApiToken.objects.get(user=student_a.user)
    response = browser.post(f"/admin/api/apitoken/{row.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert student_a.api.get("/api/exercises").status_code == 401


def test_it_adds_no_tokens_there(student_a: Persona) -> None:
    admin = get_user_model().objects.create_superuser("admin", password="admin-password")
    browser = Client()
    browser.force_login(admin)
    assert browser.get("/admin/api/apitoken/add/").status_code == 403
