"""Late-policy arithmetic and time zones: pure functions of dates and numbers, no database.

The rules, decided once here and relied on everywhere (gradebook, submission limits, quizzes):

- **On time** is up to and including the due time: a submission exactly at ``due_at`` is on time.
- **A day late is 24 hours of elapsed time** after the due time: from 1 second up to exactly
  24 h late is day 1, from 24 h plus 1 second up to 48 h is day 2, and so on (started days count).
  The offering's time zone plays no part in it, so a change to or from daylight saving time
  neither lengthens nor shortens a day of penalty: a due time of Saturday 12:00 in Berlin on the
  weekend clocks go forward is 1 day late at Sunday 12:00 local time (23 h later) and 2 days late
  from Sunday 13:00:01 local time (24 h and 1 s later). The time zone is for showing dates and for
  reading dates typed without an offset (:func:`parse_local`).
- **closes_at is the hard cutoff** and is itself closed (attempts are accepted while
  ``opens_at <= t < closes_at``, as quizzes always were); ``no_late`` closes right after the due time.
- **An extension** replaces the student's due time, and the late window moves with it: the hard
  cutoff becomes ``closes_at + (extension - due_at)``, never earlier than ``closes_at`` itself (if
  the item has no due time, the cutoff is at least the extension).
- **Penalties** are ``days_late * penalty_per_day`` percent of the points, at most ``penalty_cap``
  percent; an attempt that was not accepted counts for nothing.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

NO_LATE, PENALTY, CUTOFF = "no_late", "penalty", "cutoff"
LATE_POLICIES = (NO_LATE, PENALTY, CUTOFF)
BEST, LAST = "best", "last"
DAY = timedelta(hours=24)
#: The years a typed date may fall in: room for any term, and far from datetime's own limits, where
#: showing a date in another time zone or moving it by an extension would overflow.
MIN_YEAR, MAX_YEAR = 1970, 2999

# Dates typed by people: 2025-03-30 23:59, 2025-03-30T23:59 (an HTML datetime-local field), with
# optional seconds and an optional offset (Z, +02:00).
_LOCAL = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?\s*(Z|[+-]\d{2}:?\d{2})?\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class ItemRules:
    """What a graded item says about dates and lateness (a GradedItem's fields)."""

    opens_at: datetime | None = None
    due_at: datetime | None = None
    closes_at: datetime | None = None
    late_policy: str = NO_LATE
    penalty_per_day: float = 0.0
    penalty_cap: float = 100.0

    @classmethod
    def of(cls, source: Any) -> ItemRules:
        """The rules of anything with a GradedItem's fields of these names (an item, a gradebook column)."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class Deadlines:
    """One student's dates for one item, their extension applied."""

    opens_at: datetime | None
    due_at: datetime | None  # the last instant that is on time
    closes_at: datetime | None  # the hard cutoff: closed from this instant on
    late_policy: str
    extended: bool

    def is_open_yet(self, moment: datetime) -> bool:
        return self.opens_at is None or moment >= self.opens_at

    def is_closed(self, moment: datetime) -> bool:
        """Whether nothing is accepted any more at ``moment``."""
        if self.closes_at is not None and moment >= self.closes_at:
            return True
        return self.late_policy == NO_LATE and self.due_at is not None and moment > self.due_at

    def accepts(self, moment: datetime) -> bool:
        return self.is_open_yet(moment) and not self.is_closed(moment)

    @property
    def last_moment(self) -> datetime | None:
        """When submitting stops being possible, for messages: the due time (no_late) or the cutoff."""
        ends = [d for d in (self.closes_at, self.due_at if self.late_policy == NO_LATE else None) if d is not None]
        return min(ends) if ends else None


@dataclass(frozen=True)
class Lateness:
    """How one attempt stands against its deadlines."""

    accepted: bool  # within the window: it counts
    days_late: int  # started 24-hour periods after the due time (0: on time)
    penalty_percent: float  # what the late policy takes off, 0..100

    @property
    def late(self) -> bool:
        return self.days_late > 0


def deadlines(rules: ItemRules, extension_due_at: datetime | None = None) -> Deadlines:
    """The dates that hold for one student: the item's, or moved by the student's extension."""
    due, closes = rules.due_at, rules.closes_at
    if extension_due_at is not None:
        if closes is not None:
            moved = closes + (extension_due_at - due) if due is not None else extension_due_at
            closes = max(closes, moved)
        due = extension_due_at
    return Deadlines(
        opens_at=rules.opens_at,
        due_at=due,
        closes_at=closes,
        late_policy=rules.late_policy,
        extended=extension_due_at is not None,
    )


def days_late(submitted_at: datetime, due_at: datetime | None) -> int:
    """Started days (24 h each) after ``due_at``; 0 when on time or when there is no due time."""
    if due_at is None or submitted_at <= due_at:
        return 0
    return math.ceil((submitted_at - due_at) / DAY)


def penalty_percent(days: int, per_day: float, cap: float) -> float:
    """``days * per_day`` percent, at most ``cap`` (both clamped to 0..100)."""
    per_day, cap = min(max(per_day, 0.0), 100.0), min(max(cap, 0.0), 100.0)
    return min(days * per_day, cap) if days > 0 else 0.0


def lateness(submitted_at: datetime, dates: Deadlines, rules: ItemRules) -> Lateness:
    """Whether an attempt made at ``submitted_at`` counts, how late it is and what that costs."""
    days = days_late(submitted_at, dates.due_at)
    accepted = dates.accepts(submitted_at)
    if not accepted:
        return Lateness(accepted=False, days_late=days, penalty_percent=100.0)
    taken = penalty_percent(days, rules.penalty_per_day, rules.penalty_cap) if rules.late_policy == PENALTY else 0.0
    return Lateness(accepted=True, days_late=days, penalty_percent=taken)


def apply_penalty(points: float, percent: float) -> float:
    """``points`` less ``percent`` percent of them (rounded to 4 places, so 22 less 10 % is 19.8)."""
    return round(points * (1.0 - min(max(percent, 0.0), 100.0) / 100.0), 4)


def counted(candidates: list[tuple[datetime, float]], counts: str) -> int | None:
    """Which attempt counts, by index into ``candidates`` (submitted_at, points; accepted ones only).

    ``best``: the most points (the earliest of equals); ``last``: the latest submitted.
    """
    if not candidates:
        return None
    if counts == LAST:
        return max(range(len(candidates)), key=lambda i: (candidates[i][0], i))
    return max(range(len(candidates)), key=lambda i: (candidates[i][1], -i))


# -- time zones ---------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """The time zone called ``name`` (IANA, e.g. Europe/Berlin); ValueError naming it when unknown."""
    try:
        if not name or name != name.strip():
            raise ValueError
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin or UTC") from None


def to_local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))


def format_local(moment: datetime | None, zone_name: str) -> str:
    """E.g. ``2025-03-30 23:59 CEST``; empty for None."""
    if moment is None:
        return ""
    local = to_local(moment, zone_name)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def localize(naive: datetime, zone_name: str) -> datetime:
    """A wall-clock time in the zone as an aware datetime; ValueError in a DST gap or overlap."""
    tz = zone(zone_name)
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise ValueError(f"{naive:%Y-%m-%d %H:%M} does not exist in {zone_name} (the clocks skip it)")
    if first.utcoffset() != second.utcoffset():
        raise ValueError(
            f"{naive:%Y-%m-%d %H:%M} happens twice in {zone_name} (the clocks go back); add the offset, "
            f"e.g. {first:%Y-%m-%d %H:%M}{_offset(first)} or {second:%Y-%m-%d %H:%M}{_offset(second)}"
        )
    return first


def parse_local(text: str, zone_name: str) -> datetime:
    """A date and time typed by a person, read in the zone unless it carries an offset; aware, in UTC.

    Accepts ``2025-03-30 23:59``, ``2025-03-30T23:59``, optional ``:SS`` and an optional ``Z``
    or ``+02:00``. ValueError (with a message for people) for anything else, for a year outside
    MIN_YEAR..MAX_YEAR, and for a local time that the zone skips or repeats at a DST change.
    """
    match = _LOCAL.fullmatch(text or "")
    if match is None:
        raise ValueError(f"{(text or '')[:40]!r} is not a date and time like 2025-03-30 23:59")
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        naive = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
    except ValueError as error:
        raise ValueError(f"{text.strip()!r} is not a valid date and time ({error})") from None
    if not MIN_YEAR <= naive.year <= MAX_YEAR:
        raise ValueError(f"{text.strip()!r} is not a date from {MIN_YEAR} to {MAX_YEAR}")
    if offset is None:
        return localize(naive, zone_name).astimezone(UTC)
    if offset.upper() == "Z":
        return naive.replace(tzinfo=UTC)
    digits = offset.replace(":", "")
    hours, minutes = int(digits[1:3]), int(digits[3:5])
    if hours > 23 or minutes > 59:
        raise ValueError(f"{offset} is not a UTC offset")
    sign = -1 if digits[0] == "-" else 1
    return (naive - sign * timedelta(hours=hours, minutes=minutes)).replace(tzinfo=UTC)


def _offset(moment: datetime) -> str:
    total = int(moment.utcoffset().total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    return f"{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
