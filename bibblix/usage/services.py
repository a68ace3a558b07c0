"""Write the anonymous usage log. `usage` imports no other app; lending and patrons call it.

Only `record` writes (one INSERT); nothing here updates or deletes. `event_row` gives the column
values of one event for callers that insert it together with their own row in one statement
(lending's borrow on PostgreSQL).
"""

import datetime
import functools
import hashlib
import hmac
import logging
import zoneinfo

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Count
from django.utils import timezone

from .models import UsageEvent

Kind = UsageEvent.Kind

# The age band of an event is the youngest age the book is written for: Bibblix stores no birth
# date of a child (patrons keeps the least possible), so the child's own age is not known.
AGE_BANDS = (("6-8", 0, 8), ("9-12", 9, 200))

__all__ = [
    "Kind",
    "age_band",
    "event_row",
    "most_borrowed_book_ids",
    "reader_key",
    "record",
    "record_many",
    "service_date",
]
# A loan is a loan whether the book was free or came from the queue.
BORROW_KINDS = (Kind.BORROWED, Kind.HOLD_FULFILLED)

logger = logging.getLogger(__name__)


def age_band(age_min: int | None) -> str:
    """The age band ("6-8", "9-12") of a book for children from `age_min` years."""
    if age_min is None:
        return ""
    return next(name for name, low, high in AGE_BANDS if low <= age_min <= high)


@functools.lru_cache(maxsize=32)
def _month_key(secret: str, year: int, month: int) -> bytes:
    label = f"bibblix.usage.reader:{year:04d}-{month:02d}".encode()
    return hmac.new(secret.encode(), label, "sha256").digest()


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def service_date(when: datetime.datetime) -> datetime.date:
    """The day of `when` in the service's time zone (settings.TIME_ZONE, Europe/Stockholm),
    whatever language or zone a request has activated: statistics count Swedish days."""
    return when.astimezone(_zone(settings.TIME_ZONE)).date()


def reader_key(patron_id: int, when: datetime.datetime | datetime.date) -> int:
    """A 64-bit keyed hash of the patron id with a key derived for the month of `when`: the same
    child gives the same key within a month (distinct readers can be counted) and unrelated keys
    in different months (months cannot be linked)."""
    day = service_date(when) if isinstance(when, datetime.datetime) else when
    key = _month_key(settings.SECRET_KEY, day.year, day.month)
    digest = hmac.new(key, str(patron_id).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def event_row(
    kind: str,
    *,
    when: datetime.datetime,
    municipality_id: int,
    library_id: int | None = None,
    book=None,
    reader_id: int | None = None,
    pages: int = 0,
    seconds: int = 0,
) -> dict:
    """The field values of one event (`book`: any object with pk, language and age_min;
    `reader_id`: the patron id, stored only as its monthly reader key)."""
    day = service_date(when)
    return {
        "kind": kind,
        "occurred_at": when.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0),
        "day": day,
        "municipality_id": municipality_id,
        "library_id": library_id,
        "book_id": book.pk if book is not None else None,
        "age_band": age_band(book.age_min) if book is not None else "",
        "language": (book.language or "") if book is not None else "",
        "pages": max(0, int(pages)),
        "seconds": max(0, int(seconds)),
        "reader_key": reader_key(reader_id, day) if reader_id is not None else None,
    }


def record(kind: str, *, when: datetime.datetime | None = None, **fields) -> None:
    """Append one anonymous event to the usage log (see `event_row` for the fields)."""
    UsageEvent.objects.create(**event_row(kind, when=when or timezone.now(), **fields))


def record_quietly(kind: str, **fields) -> None:
    """`record`, for paths where a statistic must never cost the user their action (a login):
    a database error writing the event (SQLite busy under a burst of logins) is logged and the
    event dropped, inside a savepoint so an open transaction stays usable."""
    try:
        with transaction.atomic():
            record(kind, **fields)
    except DatabaseError:
        logger.warning("usage event %s dropped: the database refused the write", kind)


def record_many(rows: list[dict]) -> int:
    """Append many events given as `event_row` dicts in one INSERT per batch (generated demo
    data, imports); returns how many. Skips building a model instance per row, which cost
    more than the insert."""
    if not rows:
        return 0
    opts = UsageEvent._meta
    names = list(rows[0])
    fields = [opts.get_field(name) for name in names]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(opts.db_table)} ({', '.join(quote(f.column) for f in fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    # The two date columns need the database's form; the rest are plain ints and strings.
    adapt = {
        "occurred_at": connection.ops.adapt_datetimefield_value,
        "day": connection.ops.adapt_datefield_value,
    }
    plain = lambda value: value  # noqa: E731
    convert = [adapt.get(name, plain) for name in names]
    params = [
        [to_db(row[name]) for name, to_db in zip(names, convert, strict=True)] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return len(rows)


def most_borrowed_book_ids(
    days: int = 90, limit: int = 48, today: datetime.date | None = None
) -> list[int]:
    """The ids of the books borrowed most in the `days` days up to `today`, most first (ties:
    the lower id first): counted from the anonymous log, so no child's loans are read."""
    today = today or service_date(timezone.now())
    since = today - datetime.timedelta(days=days - 1)
    rows = (
        UsageEvent.objects.filter(kind__in=BORROW_KINDS, day__gte=since, day__lte=today)
        .exclude(book_id=None)
        .values("book_id")
        .annotate(loans=Count("id"))
        .order_by("-loans", "book_id")
        .values_list("book_id", flat=True)
    )
    return list(rows[:limit])
