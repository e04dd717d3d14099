"""Infrastructure state kept in the database."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """Last sign of life of each worker, sent through the broker (so it proves both work)."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32)
    last_seen = models.DateTimeField()

    @classmethod
    def beat(cls, name: str, kind: str) -> None:
        cls.objects.update_or_create(name=name[:200], defaults={"kind": kind[:32], "last_seen": timezone.now()})

    @classmethod
    def alive_kinds(cls, within: timedelta) -> set[str]:
        return set(cls.objects.filter(last_seen__gte=timezone.now() - within).values_list("kind", flat=True))
