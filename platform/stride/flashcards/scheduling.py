"""Spaced repetition for the flashcards: FSRS scheduling, each student's due queue, deck statistics.

The arithmetic is the maintained ``fsrs`` package's; this module keeps its state in
:class:`~stride.flashcards.models.CardState` (one row per student and card, created at the
first review) and appends every review to :class:`~stride.flashcards.models.ReviewLog`.
A card without a state row is *new*: it is due from the start, so a student who never
reviewed anything has the whole deck in the queue.

Fuzzing is off. FSRS would otherwise shift each review interval by a random day or two (to
spread reviews out), drawn from the process-wide ``random`` module, which makes schedules
impossible to reproduce or test; with a deck of a few dozen cards the spread buys nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from stride.courses.access import enrolled_course_ids, is_site_staff
from stride.courses.models import Course
from stride.flashcards.models import Card, CardState, ReviewLog

DESIRED_RETENTION = 0.9
SCHEDULER = Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=False)

RATINGS: dict[str, Rating] = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}
STATE_NAMES: dict[int, str] = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}
NEW = "new"

DUE_LIMIT_DEFAULT = 50
STATS_WINDOW = timedelta(days=30)
# The same rating for the same card again within this time, while the card is not due, is
# the same answer sent twice (a double click, a client retrying): it is not reviewed again.
DUPLICATE_WINDOW = timedelta(seconds=10)


@dataclass(frozen=True)
class DueCard:
    """A card in a student's due queue, with the student's state (None: a new card)."""

    card: Card
    state: CardState | None

    @property
    def state_name(self) -> str:
        return state_name(self.state)

    @property
    def due(self) -> datetime | None:
        """When the card fell due; None for a new card, which is due from the start."""
        return None if self.state is None else self.state.due


def state_name(state: CardState | None) -> str:
    """ "new", "learning", "review" or "relearning"."""
    if state is None or state.reps == 0:
        return NEW
    return STATE_NAMES[state.state]


def parse_rating(rating: str) -> Rating:
    """The FSRS rating named "again", "hard", "good" or "easy"; ValueError for anything else."""
    found = RATINGS.get(rating) if isinstance(rating, str) else None
    if found is None:
        raise ValueError(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}")
    return found


def _utc(moment: datetime | None) -> datetime:
    # fsrs insists on datetime.timezone.utc itself, not merely an aware datetime.
    return (moment or timezone.now()).astimezone(UTC)


def _fsrs_card(state: CardState) -> FsrsCard:
    # A card id is given so that fsrs does not invent one (it sleeps a millisecond to do so).
    return FsrsCard(
        card_id=state.card_id,
        state=State(state.state),
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=_utc(state.due),
        last_review=_utc(state.last_review) if state.last_review else None,
    )


def _locked_state(user, card: Card) -> CardState | None:
    return CardState.objects.select_for_update().filter(user=user, card=card).first()


def _is_duplicate(user, card: Card, state: CardState, rating: Rating, now: datetime) -> bool:
    if state.reps == 0 or state.last_review is None or state.due <= now:
        return False
    # Either way round: the second request may have read the clock before the first one did.
    if abs(now - state.last_review) > DUPLICATE_WINDOW:
        return False
    last = ReviewLog.objects.filter(user=user, card=card).order_by("-reviewed_at", "-id").first()
    return last is not None and last.rating == rating and last.reviewed_at == state.last_review


def review(user, card: Card, rating: str, now: datetime | None = None, duration_ms: int | None = None) -> CardState:
    """Record ``user``'s answer to ``card`` ("again", "hard", "good" or "easy") and schedule it.

    Creates or updates the student's CardState and appends a ReviewLog in one transaction.
    The state row is locked while it is read and written, so two requests for the same card
    at once are applied one after the other; the same rating sent twice within
    DUPLICATE_WINDOW (while the card is not due) is recorded once and the second call
    returns the schedule the first one made. ``now`` is the time of the review (default:
    now). ValueError for an unknown rating.
    """
    fsrs_rating = parse_rating(rating)
    now = _utc(now)
    with transaction.atomic():
        state = _locked_state(user, card)
        if state is None:
            # The first review: store the card as FSRS starts it (learning, step 0, nothing
            # known yet), then lock that row. Whoever loses a race to create it waits for the
            # winner's commit on the unique constraint, then reviews the winner's row.
            try:
                with transaction.atomic():
                    CardState.objects.create(user=user, card=card, state=State.Learning, step=0, due=now)
            except IntegrityError:
                pass
            state = _locked_state(user, card)
        if _is_duplicate(user, card, state, fsrs_rating, now):
            return state
        was_new = state.reps == 0
        state_before, due_before = (None, None) if was_new else (state.state, state.due)
        scheduled, _ = SCHEDULER.review_card(_fsrs_card(state), fsrs_rating, now, duration_ms)
        state.state = int(scheduled.state)
        state.step = scheduled.step
        state.stability = scheduled.stability
        state.difficulty = scheduled.difficulty
        state.due = scheduled.due
        state.last_review = now
        state.reps += 1
        # A lapse is forgetting a card that had graduated to review (as Anki counts them).
        if state_before == State.Review and fsrs_rating == Rating.Again:
            state.lapses += 1
        state.save()
        ReviewLog.objects.create(
            user=user,
            card=card,
            rating=int(fsrs_rating),
            reviewed_at=now,
            state_before=state_before,
            due_before=due_before,
            due_after=state.due,
            review_duration_ms=duration_ms,
        )
    return state


def preview_intervals(entry: DueCard, now: datetime | None = None) -> dict[str, timedelta]:
    """How long after ``now`` each rating ("again" .. "easy") would make ``entry``'s card due.

    Nothing is stored. A new card is previewed as :func:`review` starts one (learning,
    step 0, due now); without fuzzing, the intervals are exactly what a review would schedule.
    """
    now = _utc(now)
    state = entry.state or CardState(card=entry.card, state=State.Learning, step=0, due=now)
    start = _fsrs_card(state)
    return {name: SCHEDULER.review_card(start, rating, now)[0].due - now for name, rating in RATINGS.items()}


def study_courses(user) -> QuerySet[Course]:
    """The courses whose decks ``user`` studies: those of their offerings (any course for site staff)."""
    if is_site_staff(user):
        return Course.objects.all()
    return Course.objects.filter(pk__in=enrolled_course_ids(user))


def _deck(user, course: Course | None) -> QuerySet[Card]:
    cards = Card.objects.filter(retired=False)
    return cards.filter(course=course) if course is not None else cards.filter(course__in=study_courses(user))


def _new_cards(user, cards: QuerySet[Card]) -> QuerySet[Card]:
    return cards.exclude(Exists(CardState.objects.filter(user=user, card=OuterRef("pk"), reps__gt=0)))


def _due_states(user, cards: QuerySet[Card], before: datetime) -> QuerySet[CardState]:
    return CardState.objects.filter(user=user, card__in=cards, reps__gt=0, due__lte=before)


def due_cards(
    user, course: Course | None = None, now: datetime | None = None, limit: int = DUE_LIMIT_DEFAULT
) -> list[DueCard]:
    """``user``'s due queue: at most ``limit`` cards to review at ``now``.

    First the studied cards whose due time has come, the longest overdue first; then the
    new cards, in deck order. Retired cards never appear. ``course`` None means every
    course the user studies (:func:`study_courses`); the caller checks access to a course.
    """
    now = _utc(now)
    cards = _deck(user, course)
    due = list(
        _due_states(user, cards, now)
        .select_related("card__course")
        .order_by("due", "card__course__number", "card__course__slug", "card__position", "card_id")[:limit]
    )
    queue = [DueCard(state.card, state) for state in due]
    if len(queue) < limit:
        new = _new_cards(user, cards).select_related("course")
        new = new.order_by("course__number", "course__slug", "position", "pk")[: limit - len(queue)]
        queue += [DueCard(card, None) for card in new]
    return queue


def due_count(user, course: Course | None = None, now: datetime | None = None) -> int:
    """How many cards :func:`due_cards` would list without a limit."""
    now = _utc(now)
    cards = _deck(user, course)
    return _due_states(user, cards, now).count() + _new_cards(user, cards).count()


def day_end(now: datetime | None = None) -> datetime:
    """The end of the day ``now`` falls in. Students have no time zone on record, so the day
    ends at midnight UTC for everyone."""
    now = _utc(now)
    return datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=UTC)


def deck_stats(user, course: Course, now: datetime | None = None) -> dict:
    """Where ``user`` stands with the deck of ``course`` at ``now`` (retired cards left out).

    ``total`` cards; ``new`` (never reviewed); ``due_now`` (the due queue's length) and
    ``due_today`` (new ones included) before ``day_ends_at``, midnight UTC; the studied cards
    by FSRS state (``learning``, ``review``, ``relearning``); ``reviews_30d`` in the last 30
    days; ``retention``, the share of those reviews of already-studied cards (first reviews
    of new cards left out) not rated Again, None without any; ``mean_retrievability``, the
    FSRS probability of recalling a studied card now, averaged, None with none studied.
    """
    now = _utc(now)
    ends = day_end(now)
    cards = _deck(user, course)
    states = list(CardState.objects.filter(user=user, card__in=cards, reps__gt=0))
    by_state = {name: 0 for name in STATE_NAMES.values()}
    for state in states:
        by_state[STATE_NAMES[state.state]] += 1
    total = cards.count()
    new = total - len(states)
    recent = ReviewLog.objects.filter(
        user=user, card__in=cards, reviewed_at__gt=now - STATS_WINDOW, reviewed_at__lte=now
    )
    of_studied = recent.filter(state_before__isnull=False)
    studied_reviews = of_studied.count()
    recalled = of_studied.exclude(rating=ReviewLog.Rating.AGAIN).count()
    retrievability = [SCHEDULER.get_card_retrievability(_fsrs_card(s), now) for s in states]
    return {
        "total": total,
        "new": new,
        "due_now": new + sum(1 for s in states if s.due <= now),
        "due_today": new + sum(1 for s in states if s.due < ends),
        "day_ends_at": ends,
        **by_state,
        "reviews_30d": recent.count(),
        "retention": recalled / studied_reviews if studied_reviews else None,
        "mean_retrievability": sum(retrievability) / len(retrievability) if retrievability else None,
    }
