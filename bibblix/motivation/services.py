"""Reading joy, the public functions: the reading log, badges, challenges and ratings.
Recommendations live in `recommend.py` and are re-exported here.

Everything here is for the child themself (their own log, badges, ratings); staff get counts of
challenge participation per library with small counts hidden, nothing per child.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from bibblix.lending import services as lending
from bibblix.lib.page_cache import bump_child

from .badges import BY_SLUG, FACT_THEME, Reading, earned
from .models import BadgeAward, Challenge, Participation, Rating, ReadingDay
from .recommend import book_recommendations, compute_co_reading, library_tips, recommend

__all__ = ["book_recommendations", "compute_co_reading", "library_tips", "recommend"]

logger = logging.getLogger(__name__)
# Libraries with fewer children in a challenge than this show "fewer than 5" to staff.
SMALL_COUNT = 5
WEEK_DAYS = 7
# A day counts as read when the child turned a page or spent time in a book (a quick reader's
# single save at the end has pages but no time between two positions).
READ = Q(seconds__gt=0) | Q(pages__gt=0)


class ChallengeNotOpen(Exception):
    """The challenge is not open to this child (another municipality, over, or not begun)."""


class NotFinished(Exception):
    """A child rates a book after finishing it."""


# --- the reading log ---------------------------------------------------------------------------


def record_reading(
    sender=None, *, patron, book_id, pages=0, seconds=0, finished=False, when=None, **_
):
    """Receiver of lending's `reading_recorded`: add to the day's log, move challenges on and
    award badges, in a savepoint of the progress transaction."""
    when = when or timezone.now()
    bump_child(patron.pk)  # the day's minutes and pages change by update(), without a signal
    with transaction.atomic():
        _lock_child(patron)
        new_day = bool(pages or seconds) and _add_to_day(
            patron, timezone.localdate(when), pages, seconds
        )
        completed = complete_challenges(patron, when) if finished or seconds else 0
        # Badges change only with a finished book, a new day read (days in a row) or a
        # challenge done: a page turn in the middle of a book costs no badge queries.
        if finished or new_day or completed:
            award_badges(patron, when)


def _lock_child(patron) -> None:
    """Take the child's row lock for the rest of the transaction, so that parallel events of one
    child award in turn: each then counts the books the others committed (in READ COMMITTED a
    statement sees what committed before it), and a tenth book finished in parallel with the
    ninth still earns "10 books". (The patron's model through the instance: no import of patrons.)"""
    type(patron).objects.select_for_update().filter(pk=patron.pk).values_list("pk").first()


def _add_to_day(patron, day: datetime.date, pages: int, seconds: int) -> bool:
    """Add to the day's row; True when this was the day's first reading."""
    more = {"pages": F("pages") + pages, "seconds": F("seconds") + seconds}
    if ReadingDay.objects.filter(patron=patron, day=day).update(**more):
        return False
    try:
        with transaction.atomic():  # a parallel first event of the day may win the insert
            ReadingDay.objects.create(patron=patron, day=day, pages=pages, seconds=seconds)
    except IntegrityError:
        ReadingDay.objects.filter(patron=patron, day=day).update(**more)
        return False
    return True


def _streaks(days: list[datetime.date], today: datetime.date) -> tuple[int, int]:
    """(days in a row up to today or yesterday, best run ever) of sorted distinct days."""
    best = run = 0
    previous = None
    for day in days:
        run = run + 1 if previous and (day - previous).days == 1 else 1
        best = max(best, run)
        previous = day
    current = run if previous and (today - previous).days <= 1 else 0
    return current, best


def reading_log(patron, today: datetime.date | None = None) -> dict:
    """The child's own log: minutes and pages, books finished, days in a row, the week strip."""
    today = today or timezone.localdate()
    rows = ReadingDay.objects.filter(patron=patron)
    totals = rows.aggregate(seconds=Sum("seconds"), pages=Sum("pages"))
    days = list(rows.filter(READ).order_by("day").values_list("day", flat=True))
    current, best = _streaks(days, today)
    recent = rows.filter(READ, day__gt=today - datetime.timedelta(days=WEEK_DAYS))
    minutes_by_day = {day: (s + 59) // 60 for day, s in recent.values_list("day", "seconds")}
    week = []
    for back in range(WEEK_DAYS - 1, -1, -1):
        day = today - datetime.timedelta(days=back)
        minutes = minutes_by_day.get(day, 0)
        week.append({"day": day, "read": day in minutes_by_day, "minutes": minutes})
    return {
        "minutes": ((totals["seconds"] or 0) + 59) // 60,
        "pages": totals["pages"] or 0,
        "books_finished": lending.finished_books(patron).count(),
        "days_in_a_row": current,
        "best_days_in_a_row": best,
        "week": week,
    }


def _reading(patron) -> Reading:
    books = [row.book for row in lending.finished_books(patron).prefetch_related("book__themes")]
    days = sorted(ReadingDay.objects.filter(READ, patron=patron).values_list("day", flat=True))
    return Reading(
        finished=len(books),
        other_language=any(book.language != "sv" for book in books),
        fact_book=any(FACT_THEME in {t.slug for t in book.themes.all()} for book in books),
        picture_book=any(book.is_picture_book for book in books),
        series_book=any(book.series for book in books),
        read_aloud=any(book.has_media_overlays for book in books),
        best_streak=_streaks(days, timezone.localdate())[1],
        challenges_completed=Participation.objects.filter(
            patron=patron, completed_at__isnull=False
        ).count(),
    )


# --- badges ------------------------------------------------------------------------------------


def award_badges(patron, now: datetime.datetime | None = None) -> list[str]:
    """Award the badges the child's reading has earned and not yet got (idempotent: the unique
    constraint and ON CONFLICT DO NOTHING keep parallel events from awarding twice)."""
    now = now or timezone.now()
    have = set(BadgeAward.objects.filter(patron=patron).values_list("badge", flat=True))
    new = [slug for slug in earned(_reading(patron)) if slug not in have]
    if new:
        bump_child(patron.pk)
        BadgeAward.objects.bulk_create(
            [BadgeAward(patron=patron, badge=slug, awarded_at=now) for slug in new],
            ignore_conflicts=True,
        )
    return new


def badges_of(patron) -> list[dict]:
    """Every badge with whether (and when) the child has it, in the badges' order."""
    awards = {a.badge: a for a in BadgeAward.objects.filter(patron=patron)}
    return [{"badge": badge, "award": awards.get(badge.slug)} for badge in BY_SLUG.values()]


def unseen_badges(patron) -> list:
    """Badges earned since the child last saw a celebration; marks them seen."""
    rows = list(BadgeAward.objects.filter(patron=patron, seen_at__isnull=True))
    if rows:
        BadgeAward.objects.filter(pk__in=[r.pk for r in rows]).update(seen_at=timezone.now())
        bump_child(patron.pk)
    return [BY_SLUG[r.badge] for r in rows if r.badge in BY_SLUG]


# --- challenges --------------------------------------------------------------------------------


def open_challenges(patron, day: datetime.date | None = None) -> QuerySet[Challenge]:
    """Challenges running today in the child's municipality (or everywhere)."""
    day = day or timezone.localdate()
    return (
        Challenge.objects.filter(starts_on__lte=day, ends_on__gte=day)
        .filter(Q(municipalities__isnull=True) | Q(municipalities=patron.municipality_id))
        .distinct()
        .order_by("ends_on", "title")
    )


def get_challenge(patron, challenge_id: int) -> Challenge | None:
    """A challenge the child may see: open in their municipality, or one they have joined."""
    joined = Participation.objects.filter(patron=patron, challenge_id=challenge_id)
    if joined.exists():
        return Challenge.objects.get(pk=challenge_id)
    return open_challenges(patron).filter(pk=challenge_id).first()


def participation(patron, challenge) -> Participation | None:
    return Participation.objects.filter(patron=patron, challenge=challenge).first()


def join(patron, challenge_id: int) -> Participation:
    """The child joins an open challenge with one tap (a second tap changes nothing)."""
    challenge = open_challenges(patron).filter(pk=challenge_id).first()
    if challenge is None:
        raise ChallengeNotOpen
    now = timezone.now()
    with transaction.atomic():
        _lock_child(patron)
        place, _ = Participation.objects.get_or_create(
            challenge=challenge, patron=patron, defaults={"joined_at": now}
        )
        complete_challenges(patron, now)
        award_badges(patron, now)
    place.refresh_from_db()
    return place


def _counted_books(challenge: Challenge, patron) -> QuerySet:
    start, end = challenge.starts_on, challenge.ends_on
    rows = lending.finished_books(patron).filter(
        Q(finished_at__date__range=(start, end))
        | Q(finished_at__isnull=True, updated_at__date__range=(start, end))
    )
    if challenge.goal == Challenge.Goal.BOOK_LIST:
        rows = rows.filter(book__in=challenge.books.all())
    themes = list(challenge.themes.values_list("pk", flat=True))
    if themes:
        rows = rows.filter(book__themes__in=themes)
    if challenge.age_max:
        rows = rows.filter(book__age_min__lte=challenge.age_max)
    if challenge.age_min:
        rows = rows.filter(book__age_max__gte=challenge.age_min)
    return rows.distinct()


def progress(challenge: Challenge, patron) -> dict:
    """How far the child has come: books (or minutes) counted during the challenge's dates."""
    if challenge.goal == Challenge.Goal.MINUTES:
        seconds = ReadingDay.objects.filter(
            patron=patron, day__range=(challenge.starts_on, challenge.ends_on)
        ).aggregate(s=Sum("seconds"))["s"]
        done = (seconds or 0) // 60
    else:
        done = _counted_books(challenge, patron).count()
    goal = challenge.goal_count
    place = participation(patron, challenge)
    return {
        "joined": place is not None,
        "done": min(done, goal),
        "goal": goal,
        "percent": min(100, done * 100 // goal),
        "completed": bool(place and place.completed_at),
        "completed_at": place.completed_at if place else None,
        # One stepping stone per book on the page's track (a long goal shows the bar only).
        "steps": [i < done for i in range(goal)] if goal <= 20 else [],
    }


def complete_challenges(patron, now: datetime.datetime | None = None) -> int:
    """Mark the child's challenges whose goal is met as completed (once); returns how many."""
    now = now or timezone.now()
    places = Participation.objects.filter(patron=patron, completed_at__isnull=True).select_related(
        "challenge"
    )
    completed = 0
    for place in places:
        challenge = place.challenge
        if timezone.localdate(now) > challenge.ends_on + datetime.timedelta(days=1):
            continue  # reading after the end does not count
        if progress(challenge, patron)["done"] >= challenge.goal_count:
            completed += Participation.objects.filter(
                pk=place.pk, completed_at__isnull=True
            ).update(completed_at=now)
            bump_child(patron.pk)
    return completed


def participation_by_library(
    challenge: Challenge, municipality_id: int | None = None
) -> list[tuple[str, int | None]]:
    """Children in the challenge per library (of one municipality, or all), for staff: counts
    under SMALL_COUNT are None."""
    places = Participation.objects.filter(challenge=challenge)
    if municipality_id is not None:
        places = places.filter(patron__municipality_id=municipality_id)
    rows = (
        places.values("patron__library__name")
        .annotate(children=Count("pk"))
        .order_by("patron__library__name")
    )
    return [
        (row["patron__library__name"], row["children"] if row["children"] >= SMALL_COUNT else None)
        for row in rows
    ]


# --- ratings -----------------------------------------------------------------------------------


def rate(patron, book_id: int, value: int) -> Rating:
    """The child's face for a book they finished (1 Sådär, 2 Bra, 3 Jättebra); changeable."""
    if value not in Rating.Face.values:
        raise ValueError("rating must be 1, 2 or 3")
    if not lending.finished_books(patron).filter(book_id=book_id).exists():
        raise NotFinished
    now = timezone.now()
    try:
        with transaction.atomic():
            row, _ = Rating.objects.update_or_create(
                patron=patron, book_id=book_id, defaults={"value": value, "updated_at": now}
            )
    except IntegrityError:  # a parallel first tap inserted it
        Rating.objects.filter(patron=patron, book_id=book_id).update(value=value, updated_at=now)
        bump_child(patron.pk)
        row = Rating.objects.get(patron=patron, book_id=book_id)
    return row


def rating_of(patron, book_id: int) -> int | None:
    return (
        Rating.objects.filter(patron=patron, book_id=book_id)
        .values_list("value", flat=True)
        .first()
    )


def rating_totals(book_id: int) -> dict[int, int]:
    """How many children gave each face: {3: …, 2: …, 1: …}."""
    counts = dict(
        Rating.objects.filter(book_id=book_id).values_list("value").annotate(n=Count("pk"))
    )
    return {face: counts.get(face, 0) for face in (3, 2, 1)}


def has_finished(patron, book_id: int) -> bool:
    return lending.finished_books(patron).filter(book_id=book_id).exists()
