"""Late-policy arithmetic at its boundaries: due time, days, cap, extensions, time zones, DST."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stride.offerings import policy
from stride.offerings.policy import CUTOFF, NO_LATE, PENALTY, ItemRules, deadlines, lateness

DUE = datetime(2025, 3, 14, 22, 59, tzinfo=UTC)  # 23:59 in Berlin (CET)
SECOND, HOUR, DAY = timedelta(seconds=1), timedelta(hours=1), timedelta(hours=24)
PENALTY_RULES = ItemRules(due_at=DUE, closes_at=DUE + 7 * DAY, late_policy=PENALTY, penalty_per_day=10, penalty_cap=30)


def judge(submitted_at: datetime, rules: ItemRules = PENALTY_RULES, extension: datetime | None = None):
    return lateness(submitted_at, deadlines(rules, extension), rules)


@pytest.mark.parametrize(
    ("after_due", "days", "penalty"),
    [
        (-HOUR, 0, 0.0),
        (timedelta(0), 0, 0.0),  # exactly at the due time is on time
        (SECOND, 1, 10.0),
        (23 * HOUR + 59 * timedelta(minutes=1), 1, 10.0),
        (DAY, 1, 10.0),  # exactly 24 h late is still the first day
        (DAY + SECOND, 2, 20.0),
        (2 * DAY + SECOND, 3, 30.0),
        (4 * DAY, 4, 30.0),  # the cap: never more than 30 %
        (7 * DAY - SECOND, 7, 30.0),
    ],
)
def test_it_counts_started_days_after_the_due_time_up_to_the_cap(after_due, days, penalty) -> None:
    judged = judge(DUE + after_due)
    assert (judged.accepted, judged.days_late, judged.penalty_percent) == (True, days, penalty)


def test_nothing_is_accepted_from_the_hard_cutoff_on() -> None:
    assert judge(DUE + 7 * DAY - SECOND).accepted
    closed = judge(DUE + 7 * DAY)
    assert not closed.accepted and closed.penalty_percent == 100.0


def test_no_late_accepts_the_due_instant_and_nothing_after() -> None:
    rules = ItemRules(due_at=DUE, closes_at=DUE + 7 * DAY, late_policy=NO_LATE, penalty_per_day=10)
    assert judge(DUE, rules).accepted
    assert not judge(DUE + SECOND, rules).accepted
    assert deadlines(rules).last_moment == DUE


def test_cutoff_accepts_late_work_without_penalty_until_closes_at() -> None:
    rules = ItemRules(due_at=DUE, closes_at=DUE + 2 * DAY, late_policy=CUTOFF, penalty_per_day=10)
    late = judge(DUE + DAY + SECOND, rules)
    assert (late.accepted, late.days_late, late.penalty_percent) == (True, 2, 0.0)
    assert not judge(DUE + 2 * DAY, rules).accepted


def test_nothing_counts_before_the_item_opens() -> None:
    rules = ItemRules(opens_at=DUE - DAY, due_at=DUE)
    assert not judge(DUE - DAY - SECOND, rules).accepted
    assert judge(DUE - DAY, rules).accepted


def test_an_extension_moves_the_due_time_and_the_cutoff_with_it() -> None:
    extended = DUE + 3 * DAY
    dates = deadlines(PENALTY_RULES, extended)
    assert (dates.due_at, dates.closes_at, dates.extended) == (extended, DUE + 10 * DAY, True)
    assert judge(DUE + 3 * DAY, extension=extended).days_late == 0  # late for others, on time for them
    assert judge(extended + SECOND, extension=extended).penalty_percent == 10.0
    assert judge(DUE + 9 * DAY, extension=extended).accepted  # past everyone else's cutoff


def test_an_earlier_extension_never_closes_the_item_sooner() -> None:
    dates = deadlines(PENALTY_RULES, DUE - DAY)
    assert dates.due_at == DUE - DAY and dates.closes_at == DUE + 7 * DAY


def test_an_extension_on_an_item_without_due_time_keeps_it_open_until_then() -> None:
    rules = ItemRules(closes_at=DUE, late_policy=NO_LATE)
    dates = deadlines(rules, DUE + DAY)
    assert dates.closes_at == DUE + DAY and dates.accepts(DUE + DAY - SECOND)


def test_without_a_due_time_nothing_is_late() -> None:
    assert judge(DUE + 100 * DAY, ItemRules(late_policy=PENALTY, penalty_per_day=50)) == policy.Lateness(True, 0, 0.0)


def test_a_day_of_penalty_is_24_hours_even_across_the_change_to_summer_time() -> None:
    """Berlin's clocks go forward on 2025-03-30 at 02:00: a local day of that weekend has 23 hours."""
    due = policy.parse_local("2025-03-29 12:00", "Europe/Berlin")
    rules = ItemRules(due_at=due, late_policy=PENALTY, penalty_per_day=10, penalty_cap=100)
    same_wall_clock_next_day = policy.parse_local("2025-03-30 12:00", "Europe/Berlin")
    assert same_wall_clock_next_day - due == 23 * HOUR
    assert judge(same_wall_clock_next_day, rules).days_late == 1
    assert judge(policy.parse_local("2025-03-30 13:00", "Europe/Berlin"), rules).days_late == 1  # 24 h
    assert judge(policy.parse_local("2025-03-30 13:00:01", "Europe/Berlin"), rules).days_late == 2


def test_a_day_of_penalty_is_24_hours_across_the_change_back_to_winter_time() -> None:
    due = policy.parse_local("2025-10-25 12:00", "Europe/Berlin")
    rules = ItemRules(due_at=due, late_policy=PENALTY, penalty_per_day=10, penalty_cap=100)
    assert judge(policy.parse_local("2025-10-26 11:00", "Europe/Berlin"), rules).days_late == 1  # 24 h
    assert judge(policy.parse_local("2025-10-26 11:00:01", "Europe/Berlin"), rules).days_late == 2


def test_the_same_instant_is_equally_late_whatever_the_time_zone() -> None:
    berlin = policy.parse_local("2025-06-01 23:59", "Europe/Berlin")
    new_york = policy.parse_local("2025-06-01 17:59", "America/New_York")
    assert berlin == new_york == datetime(2025, 6, 1, 21, 59, tzinfo=UTC)


def test_penalties_take_a_percentage_of_the_points() -> None:
    assert policy.apply_penalty(22.0, 10.0) == 19.8
    assert policy.apply_penalty(22.0, 0.0) == 22.0
    assert policy.apply_penalty(22.0, 100.0) == 0.0
    assert policy.penalty_percent(3, 40, 100) == 100.0
    assert policy.penalty_percent(5, 150, 250) == 100.0  # out-of-range settings are clamped


def test_best_counts_the_most_points_and_last_the_latest() -> None:
    t = [DUE, DUE + HOUR, DUE + 2 * HOUR]
    candidates = [(t[0], 5.0), (t[1], 9.0), (t[2], 9.0)]
    assert policy.counted(candidates, policy.BEST) == 1  # the earliest of equals
    assert policy.counted(candidates, policy.LAST) == 2
    assert policy.counted([], policy.BEST) is None


def test_it_reads_local_times_in_the_offering_zone() -> None:
    assert policy.parse_local("2025-01-15 09:30", "Europe/Berlin") == datetime(2025, 1, 15, 8, 30, tzinfo=UTC)
    assert policy.parse_local("2025-07-15T09:30", "Europe/Berlin") == datetime(2025, 7, 15, 7, 30, tzinfo=UTC)
    assert policy.parse_local("2025-07-15 09:30+05:30", "Europe/Berlin") == datetime(2025, 7, 15, 4, 0, tzinfo=UTC)
    assert policy.parse_local("2025-07-15 09:30Z", "Europe/Berlin") == datetime(2025, 7, 15, 9, 30, tzinfo=UTC)
    assert policy.format_local(datetime(2025, 7, 15, 7, 30, tzinfo=UTC), "Europe/Berlin") == "2025-07-15 09:30 CEST"


def test_it_refuses_local_times_that_a_clock_change_skips_or_repeats() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        policy.parse_local("2025-03-30 02:30", "Europe/Berlin")
    with pytest.raises(ValueError, match="happens twice.*\\+02:00.*\\+01:00"):
        policy.parse_local("2025-10-26 02:30", "Europe/Berlin")
    assert policy.parse_local("2025-10-26 02:30+01:00", "Europe/Berlin") == datetime(2025, 10, 26, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "tomorrow", "2025-02-30 10:00", "2025-01-01 25:00", "2025-01-01 10:00+25:00"])
def test_it_explains_unreadable_dates(text: str) -> None:
    with pytest.raises(ValueError):
        policy.parse_local(text, "UTC")


@pytest.mark.parametrize(
    ("text", "zone_name"),
    [
        ("9999-12-31 23:59", "America/New_York"),  # UTC would be past the year 9999
        ("0001-01-01 00:00", "Europe/Berlin"),  # UTC would be before the year 1
        ("9999-12-31 23:59Z", "Europe/Berlin"),  # readable, but never shown again in Berlin time
        ("9999-12-31 23:59-05:00", "UTC"),
    ],
)
def test_it_refuses_years_so_far_off_that_moving_them_overflows(text: str, zone_name: str) -> None:
    with pytest.raises(ValueError, match="not a date from 1970 to 2999"):
        policy.parse_local(text, zone_name)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", " UTC", "../../etc/passwd", "Europe/"])
def test_it_refuses_unknown_time_zones(name: str) -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        policy.zone(name)
