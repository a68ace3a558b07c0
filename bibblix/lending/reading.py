"""Reading state of a child: position, bookmarks, "Vill läsa" and finished books.

Re-exported by `services.py`; other apps call these through `lending.services`.
"""

import contextlib
import datetime
import logging

import django.dispatch
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bibblix.patrons.services import record_activity
from bibblix.usage import services as usage
from bibblix.usage.models import UsageEvent

from .models import FINISHED_AT, Bookmark, Favourite, ReadingProgress

logger = logging.getLogger(__name__)

# Sent when a child's reading moved on: pages and seconds read since the previous
# position, and whether the book became finished now. Apps further along (motivation) listen; lending
# imports none of them. Arguments: patron, book_id, pages, seconds, finished, when.
reading_recorded = django.dispatch.Signal()

# The stamp of a progress row that has no position yet: older than any real write.
NEVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
# Reading time is the time between two saved positions, at most this much: a book left open
# on the table is not read for hours.
MAX_READ_SECONDS = 10 * 60


class BookNotFound(LookupError):
    """The book is not (or no longer) in the catalogue."""


@contextlib.contextmanager
def _book_kept(book_id: int):
    """A progress transaction for a book that may be deleted meanwhile (by staff, while a child's
    last position is on its way): the row for a book gone fails the foreign key (at the insert
    or at the commit: the constraint is deferred) and the book's statistics find no book; that
    is a BookNotFound (a 404), not a server error. Any other failure is raised as it is."""
    try:
        yield
    except (IntegrityError, ObjectDoesNotExist):
        from bibblix.catalogue.models import Book

        if not Book.objects.filter(pk=book_id).exists():
            raise BookNotFound(book_id) from None
        raise


def get_progress(patron, book_id: int) -> ReadingProgress | None:
    """The child's saved position in a book, or None."""
    return ReadingProgress.objects.filter(patron=patron, book_id=book_id).first()


def _locked_progress(patron, book_id: int, now: datetime.datetime) -> ReadingProgress:
    rows = ReadingProgress.objects.select_for_update().filter(patron=patron, book_id=book_id)
    row = rows.first()
    if row is not None:
        return row
    try:
        with transaction.atomic():  # a savepoint: a parallel first write may win the insert
            return ReadingProgress.objects.create(
                patron=patron,
                book_id=book_id,
                updated_at=NEVER,
            )
    except IntegrityError:
        return rows.get()


def _book_for_statistics(book_id: int):
    from bibblix.catalogue.models import Book

    return Book.objects.only("id", "language", "age_min", "page_count").get(pk=book_id)


def _record(kind: str, patron, book, now: datetime.datetime, **amounts) -> None:
    """Append an anonymous usage event (bibblix.usage: no patron id, a monthly reader key)."""
    usage.record(
        kind,
        when=now,
        municipality_id=patron.municipality_id,
        library_id=patron.library_id,
        book=book,
        reader_id=patron.pk,
        **amounts,
    )


def _announce(patron, book_id: int, when, pages=0, seconds=0, finished=False) -> None:
    """Tell listeners that the child read, inside the progress transaction (so a listener sees
    the saved position); each listener's error is logged and never costs the child their
    position (listeners write inside their own savepoint)."""
    replies = reading_recorded.send_robust(
        sender=ReadingProgress,
        patron=patron,
        book_id=book_id,
        pages=pages,
        seconds=seconds,
        finished=finished,
        when=when,
    )
    for receiver, reply in replies:
        if isinstance(reply, Exception):
            logger.error("reading_recorded: %s failed", receiver, exc_info=reply)


def _record_reading(patron, row: ReadingProgress, before: tuple, now: datetime.datetime) -> dict:
    """Pages and time read since the previous saved position. Pages are whole pages passed
    (floor of the new position minus floor of the old), so small steps add up exactly."""
    old_share, old_stamp = before
    if row.percentage <= old_share:
        return {}
    book = _book_for_statistics(row.book_id)
    pages = 0
    if book.page_count:
        pages = int(row.percentage * book.page_count) - int(old_share * book.page_count)
    seconds = 0
    if old_stamp != NEVER:
        seconds = int(min(MAX_READ_SECONDS, max(0, (row.updated_at - old_stamp).total_seconds())))
    if pages or seconds:
        _record(UsageEvent.Kind.READ, patron, book, now, pages=pages, seconds=seconds)
    return {"pages": pages, "seconds": seconds}


def _mark_finished(row: ReadingProgress, patron, now: datetime.datetime) -> bool:
    if row.finished_at is None:
        row.finished_at = now
        _record(UsageEvent.Kind.FINISHED, patron, _book_for_statistics(row.book_id), now)
        return True
    return False


def record_progress(
    patron,
    book_id: int,
    locator: str,
    percentage: float,
    updated_at: datetime.datetime | None = None,
) -> tuple[ReadingProgress, bool]:
    """Save the child's position (idempotent): (progress, applied). A write older than the saved
    one (by the client's `updated_at`) is ignored, so a slow device cannot move a child back."""
    now = timezone.now()
    # A device whose clock runs ahead must not lock out every later write.
    if updated_at is not None and timezone.is_naive(updated_at):
        # A device that sends a time without a zone (an offline replay, say) means UTC.
        updated_at = timezone.make_aware(updated_at, datetime.UTC)
    stamp = min(updated_at or now, now)
    with _book_kept(book_id), transaction.atomic():
        row = _locked_progress(patron, book_id, now)
        if stamp < row.updated_at:
            return row, False
        before = (row.percentage, row.updated_at)
        row.locator = locator
        row.percentage = min(1.0, max(0.0, percentage))
        row.updated_at = stamp
        read = _record_reading(patron, row, before, now)
        finished = row.percentage >= FINISHED_AT and _mark_finished(row, patron, now)
        row.save()
        record_activity(patron, now)
        if read or finished:
            _announce(patron, book_id, now, finished=finished, **read)
    return row, True


def mark_finished(patron, book_id: int) -> ReadingProgress:
    """The child says "Jag har läst klart" (I have finished this book)."""
    now = timezone.now()
    with _book_kept(book_id), transaction.atomic():
        row = _locked_progress(patron, book_id, now)
        if row.updated_at == NEVER:  # created just now, no position yet
            row.updated_at = now
        finished = _mark_finished(row, patron, now)
        row.save()
        record_activity(patron, now)
        if finished:
            _announce(patron, book_id, now, finished=True)
    return row


def finished_books(patron) -> QuerySet[ReadingProgress]:
    """The child's finished books, newest first."""
    return (
        ReadingProgress.objects.filter(patron=patron)
        .filter(Q(finished_at__isnull=False) | Q(percentage__gte=FINISHED_AT))
        .select_related("book")
        .order_by("-updated_at")
    )


def finished_readings() -> QuerySet:
    """(patron_id, book_id) of every finished book of every child, by child: only for jobs that
    count books read together and keep no child's id (motivation's co-reading)."""
    return (
        ReadingProgress.objects.filter(
            Q(finished_at__isnull=False) | Q(percentage__gte=FINISHED_AT)
        )
        .order_by("patron_id", "book_id")
        .values_list("patron_id", "book_id")
    )


def bookmarks(patron, book_id: int | None = None) -> QuerySet[Bookmark]:
    """The child's bookmarks, of one book or all."""
    rows = Bookmark.objects.filter(patron=patron)
    return rows.filter(book_id=book_id) if book_id is not None else rows


def add_bookmark(patron, book_id: int, locator: str, label: str = "") -> Bookmark:
    """Save a bookmark."""
    bookmark = Bookmark.objects.create(patron=patron, book_id=book_id, locator=locator, label=label)
    record_activity(patron)
    return bookmark


def delete_bookmark(patron, bookmark_id: int) -> bool:
    """Delete one of the child's bookmarks; False if it is not theirs (or gone)."""
    deleted, _ = Bookmark.objects.filter(pk=bookmark_id, patron=patron).delete()
    return bool(deleted)


def favourites(patron) -> QuerySet[Favourite]:
    """The child's "Vill läsa" list."""
    return Favourite.objects.filter(patron=patron).select_related("book")


def is_favourite(patron, book_id: int) -> bool:
    return Favourite.objects.filter(patron=patron, book_id=book_id).exists()


def toggle_favourite(patron, book_id: int) -> bool:
    """Add the book to "Vill läsa" or take it off; returns whether it is on the list now."""
    record_activity(patron)
    deleted, _ = Favourite.objects.filter(patron=patron, book_id=book_id).delete()
    if deleted:
        return False
    try:
        with transaction.atomic():
            Favourite.objects.create(patron=patron, book_id=book_id)
    except IntegrityError:
        pass  # a double tap: the first one added it
    return True


def loans_with_progress(patron, loans) -> list:
    """`loans` (of one patron) each with `.progress`, the share read in per cent (0–100): one
    query for all their reading positions, for "Fortsätt läsa" and Mina böcker."""
    loans = list(loans)
    shares = dict(
        ReadingProgress.objects.filter(
            patron=patron, book_id__in=[loan.book_id for loan in loans]
        ).values_list("book_id", "percentage")
    )
    for loan in loans:
        loan.progress = round(min(1.0, max(0.0, shares.get(loan.book_id, 0.0))) * 100)
    return loans
