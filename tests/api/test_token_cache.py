"""Each web process remembers checked tokens briefly; revocation must still be immediate here."""

from __future__ import annotations

import pytest

from stride.api.models import ApiToken, _auth_cache


@pytest.fixture(autouse=True)
def _empty_cache():
    _auth_cache.clear()
    yield
    _auth_cache.clear()


@pytest.mark.django_db
def test_it_answers_a_repeated_token_without_a_query(django_user_model, django_assert_num_queries):
    user = django_user_model.objects.create_user("poller", password="pw-poller-1")
    _, token = ApiToken.issue(user)
    assert ApiToken.authenticate(token) == user
    with django_assert_num_queries(0):
        assert ApiToken.authenticate(token) == user


@pytest.mark.django_db
def test_it_forgets_a_deleted_token_at_once(django_user_model):
    user = django_user_model.objects.create_user("revoked", password="pw-revoked-1")
    row, token = ApiToken.issue(user)
    assert ApiToken.authenticate(token) == user
    row.delete()
    assert ApiToken.authenticate(token) is None


@pytest.mark.django_db
def test_it_forgets_a_deactivated_user_at_once(django_user_model):
    user = django_user_model.objects.create_user("leaver", password="pw-leaver-1")
    _, token = ApiToken.issue(user)
    assert ApiToken.authenticate(token) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ApiToken.authenticate(token) is None


@pytest.mark.django_db
def test_it_never_remembers_a_wrong_token(django_user_model, django_assert_num_queries):
    assert ApiToken.authenticate("not-a-token") is None
    with django_assert_num_queries(1):
        assert ApiToken.authenticate("not-a-token") is None
