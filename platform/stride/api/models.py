"""API tokens: a random secret handed to the client once; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

# A token is 43 URL-safe characters (32 random bytes); anything far longer is not one.
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128
# last_used_at is written at most this often per token, so reads stay reads.
LAST_USED_RESOLUTION = timedelta(minutes=5)
# Clients poll; each web process remembers a checked token this long. Deleting a token
# or changing a user clears this process's memory at once, other processes within it.
AUTH_CACHE_SECONDS = 5.0
AUTH_CACHE_SIZE = 10_000
_auth_cache: dict[str, tuple[float, object]] = {}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token, hex")
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"API token {self.pk} of {self.user}"

    @classmethod
    def issue(cls, user) -> tuple[ApiToken, str]:
        """A new token for ``user``: the row, and the secret (never stored, shown once)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        return cls.objects.create(user=user, key_hash=digest(token)), token

    @classmethod
    def authenticate(cls, token: str):
        """The active user a token belongs to, or None."""
        if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii() or not token.isprintable():
            return None
        key = digest(token)
        cached = _auth_cache.get(key)
        if cached is not None and cached[0] > time.monotonic():
            return cached[1]
        row = cls.objects.select_related("user").filter(key_hash=key).first()
        if row is None or not row.user.is_active:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_RESOLUTION:
            cls.objects.filter(pk=row.pk).update(last_used_at=now)
        if len(_auth_cache) >= AUTH_CACHE_SIZE:
            _auth_cache.clear()
        _auth_cache[key] = (time.monotonic() + AUTH_CACHE_SECONDS, row.user)
        return row.user


@receiver(post_delete, sender=ApiToken)
def _forget_token(sender, instance: ApiToken, **_: object) -> None:
    _auth_cache.pop(instance.key_hash, None)


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def _forget_users(sender, **_: object) -> None:
    # A user may have been deactivated: forget every remembered token (cheap to refill).
    _auth_cache.clear()
