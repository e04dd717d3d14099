"""Signing up, logging in and out, and resetting a password (mail to the console backend)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.web.conftest import Visitor


def test_it_signs_up_a_new_student_and_logs_them_in(db) -> None:
    client = Client()
    assert client.get("/accounts/signup/").status_code == 200
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "n@example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
            "next": "/courses/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/courses/"
    assert get_user_model().objects.get(username="newbie").email == "n@example.org"
    assert b"Signed in as <strong>newbie</strong>" in client.get("/").content


def test_it_refuses_a_bad_signup_and_keeps_what_was_typed(db, student: Visitor) -> None:
    client = Client()
    response = client.post(
        "/accounts/signup/", {"username": "ada", "email": "not-an-email", "password1": "x", "password2": "y"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "A user with that username already exists." in text
    assert "Enter a valid email address." in text
    assert 'value="not-an-email"' in text
    assert get_user_model().objects.filter(username="ada").count() == 1


def test_it_never_redirects_off_site_after_signup(db) -> None:
    client = Client()
    data = {
        "username": "n2",
        "email": "n2@example.org",
        "password1": "a long pass phrase 42",
        "password2": "a long pass phrase 42",
    }
    response = client.post("/accounts/signup/?next=https://evil.example/", data)
    assert response["Location"] == "/"


def test_it_logs_in_and_out(db) -> None:
    get_user_model().objects.create_user("ada", "ada@example.org", "pw-pw-pw-pw")
    client = Client()
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and b"Forgot your password?" in page.content
    wrong = client.post("/accounts/login/", {"username": "ada", "password": "nope"})
    assert wrong.status_code == 200 and b"Please enter a correct username and password" in wrong.content
    response = client.post("/accounts/login/", {"username": "ada", "password": "pw-pw-pw-pw"})
    assert response.status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert b"Log in" in client.get("/").content


def test_it_mails_a_password_reset_link_that_works_once(db) -> None:
    get_user_model().objects.create_user("ada", "ada@example.org", "old-password-1")
    client = Client()
    response = client.post("/accounts/password_reset/", {"email": "ada@example.org"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert b"Choose a new password" in form.content
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "brand new words 77", "new_password2": "brand new words 77"}
    )
    assert done.status_code == 302
    assert get_user_model().objects.get(username="ada").check_password("brand new words 77")
    assert b"has been used or has expired" in client.get(link, follow=True).content
