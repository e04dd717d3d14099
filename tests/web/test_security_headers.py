"""Every page carries a Content-Security-Policy without unsafe-inline scripts, and no inline script."""

from __future__ import annotations

import re

import pytest

from stride.courses.models import Lesson
from tests.web.conftest import Visitor


@pytest.fixture
def pages(course) -> list[str]:
    lesson = Lesson.objects.get(key="how-a-cnn-extracts-features")
    return [
        "/",
        "/courses/",
        "/courses/cnn-features/",
        f"/lessons/{lesson.pk}/",
        "/exercises/conv2d/",
        "/accounts/login/",
    ]


def test_it_sends_a_strict_policy_and_no_inline_scripts_or_styles(student: Visitor, pages: list[str]) -> None:
    for path in pages:
        page = student.client.get(path)
        assert page.status_code == 200, path
        policy = page["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "unsafe-inline" not in policy and "object-src 'none'" in policy
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        html = page.content.decode()
        assert f'<meta name="csp-nonce" content="{nonce}">' in html
        for script in re.findall(r"<script\b[^>]*>", html):
            assert 'src="' in script or 'type="application/json"' in script, (path, script)
        assert not re.search(r"\sstyle=", html), path
        assert page["X-Frame-Options"] == "DENY" and page["X-Content-Type-Options"] == "nosniff"


def test_it_gives_each_request_its_own_nonce(student: Visitor) -> None:
    first = student.client.get("/")["Content-Security-Policy"]
    second = student.client.get("/")["Content-Security-Policy"]
    assert first != second


def test_it_keeps_the_session_and_csrf_cookies_from_scripts(db, anonymous: Visitor) -> None:
    from django.contrib.auth import get_user_model

    page = anonymous.client.get("/accounts/login/")
    assert page.cookies["csrftoken"]["httponly"] and page.cookies["csrftoken"]["samesite"] == "Lax"
    get_user_model().objects.create_user("ada2", password="pw-pw-pw-pw")
    logged_in = anonymous.client.post("/accounts/login/", {"username": "ada2", "password": "pw-pw-pw-pw"})
    assert logged_in.cookies["sessionid"]["httponly"] and logged_in.cookies["sessionid"]["samesite"] == "Lax"
