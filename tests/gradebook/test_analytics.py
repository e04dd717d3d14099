"""Analytics behind the instructor's charts: activity per day, scores, failures, attempts to pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from stride.gradebook import analytics
from stride.gradebook.grades import compute_gradebook

pytestmark = pytest.mark.django_db

DUE = datetime(2025, 3, 14, 22, 59, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def book(offering, make_item, make_user, submit):
    item = make_item(due_at=DUE)
    ada, alan, grace = (make_user(n, offering) for n in ("ada", "alan", "grace"))
    make_user("idle", offering)
    submit(ada, item, DUE - 4 * DAY, 0.25, failing=(("hidden: big", "wrong_values"), ("hidden: odd", "wrong_shape")))
    submit(ada, item, DUE - 2 * DAY, 0.5, failing=(("hidden: big", "wrong_values"),))
    submit(ada, item, DUE - 2 * DAY + HOUR, 1.0)
    submit(alan, item, DUE - HOUR, 1.0)  # 23:59 in Berlin
    submit(grace, item, DUE - 2 * DAY + 2 * HOUR, 0.0, failing=(("hidden: big", "timeout"),))
    submit(grace, item, DUE - 2 * DAY + 3 * HOUR, 0.95, failing=(("hidden: big", "wrong_values"),))
    return compute_gradebook(offering), item


def test_submissions_per_day_are_counted_in_the_offerings_time_zone_with_quiet_days(book) -> None:
    found, item = book
    # 22:59 UTC is 23:59 in Berlin, and an hour later it is the next day there.
    assert analytics.submissions_per_day(found, item.pk) == [
        (date(2025, 3, 10), 1),
        (date(2025, 3, 11), 0),
        (date(2025, 3, 12), 1),
        (date(2025, 3, 13), 3),
        (date(2025, 3, 14), 1),
    ]
    assert analytics.submissions_per_day(found) == analytics.submissions_per_day(found, item.pk)


def test_the_histogram_has_ten_bins_and_full_marks_in_the_last(book) -> None:
    found, item = book
    assert analytics.score_histogram([0.0, 0.05, 0.1, 0.95, 1.0, 1.2, -1]) == [3, 1, 0, 0, 0, 0, 0, 0, 0, 3]
    assert analytics.score_distribution(found, item.pk) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 3]


def test_the_most_failed_tests_come_first_with_their_commonest_failure_kinds(book) -> None:
    found, item = book
    failed = analytics.most_failed_tests(found, item.pk)
    assert [(f.name, f.failures, f.runs) for f in failed] == [("hidden: big", 4, 4), ("hidden: odd", 1, 1)]
    assert failed[0].kinds == [("wrong_values", 3), ("timeout", 1)]
    assert failed[0].failure_rate == 1.0


def test_median_attempts_to_pass_counts_only_students_who_passed(book) -> None:
    found, item = book
    assert analytics.median_attempts_to_pass(found, item.pk) == 2.0  # ada 3, alan 1; grace never


def test_students_who_have_not_started(book) -> None:
    found, item = book
    assert [r.username for r in analytics.not_started(found, item.pk)] == ["idle"]
    assert [r.username for r in analytics.not_started(found)] == ["idle"]


def test_a_students_timeline_is_in_time_order(book) -> None:
    found, _ = book
    ada = found.rows[0]
    events = analytics.student_timeline(found, ada.user_id)
    assert [(e.number, e.score, e.counted) for e in events] == [(1, 0.25, False), (2, 0.5, False), (3, 1.0, True)]
    assert analytics.student_timeline(found, 10**9) == []


def test_the_overview_summarizes_each_item(book) -> None:
    found, item = book
    (summary,) = analytics.item_summaries(found)
    assert (summary.attempts, summary.started, summary.not_started) == (6, 3, 1)
    assert summary.mean_points == round((20 + 20 + 19) / 3, 2)
    assert summary.median_attempts_to_pass == 2.0
