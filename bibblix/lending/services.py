"""Public functions of lending: borrow, return, holds, and the expiry job.

Concurrency: every write path that can use up a copy runs in one transaction that first locks the
book's row, then the child's row (always in that order, so two paths never deadlock), re-reads,
checks the rules and writes. The partial unique index on Loan stops two open loans of one book
for one child whatever happens. On SQLite the IMMEDIATE transaction mode (settings) serialises
writers instead of row locks.
"""

import datetime
import functools

from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bibblix.lib.page_cache import bump_child
from bibblix.lib.rows import get_row
from bibblix.patrons.services import record_activity
from bibblix.usage import services as usage
from bibblix.usage.models import UsageEvent

from .circulation import (  # noqa: F401  (re-exported: what catalogues show of a child's book)
    Circulation,
    hold_circulation,
    loan_circulation,
)
from .models import Hold, Loan
from .reading import (  # noqa: F401  (re-exported: the public functions of lending)
    BookNotFound,
    add_bookmark,
    bookmarks,
    delete_bookmark,
    favourites,
    finished_books,
    finished_readings,
    get_progress,
    is_favourite,
    loans_with_progress,
    mark_finished,
    reading_recorded,
    record_progress,
    toggle_favourite,
)
from .rules import LendingRefused, Rules, check_patron_rules, loan_counts, refuse, rules_for
from .rules import free_copies as _free_copies

__all__ = ["LendingRefused", "Rules", "rules_for"]


def free_copies(book, now: datetime.datetime | None = None) -> float:
    """Copies of a book free to lend now (infinite for an unlimited licence)."""
    return _free_copies(book, now or timezone.now())


def active_loans(patron) -> QuerySet[Loan]:
    """The patron's loans that are open and not past due."""
    return Loan.objects.filter(patron=patron, returned_at__isnull=True, due_at__gt=timezone.now())


def reading_now(patron, limit: int | None = None) -> list[Loan]:
    """The child's active loans for "Fortsätt läsa" and Mina böcker, each with its
    book (and authors), `.progress` and `.days_left`, newest loan first: three queries in all."""
    loans = (
        active_loans(patron)
        .select_related("book")
        .prefetch_related("book__book_contributors__contributor")
        .order_by("-borrowed_at")
    )
    loans = loans_with_progress(patron, loans[:limit] if limit else loans)
    now = timezone.now()
    for loan in loans:
        loan.days_left = days_left(loan, now)
    return loans


def has_active_loan(patron, book) -> bool:
    """Whether the patron has an active loan of `book`."""
    return active_loans(patron).filter(book=book).exists()


def active_loan_for(patron, book_id: int) -> Loan | None:
    """The patron's active loan of a book, or None (the reader asks this on every request)."""
    return active_loans(patron).filter(book_id=book_id).first()


def days_left(loan: Loan, now: datetime.datetime | None = None) -> int:
    """Whole days until the loan ends, rounded up (a loan due in 3 hours has 1 day left)."""
    seconds = (loan.due_at - (now or timezone.now())).total_seconds()
    return max(0, -int(-seconds // 86400))


def next_days_left_change(loan: Loan, now: datetime.datetime | None = None) -> datetime.datetime:
    """When `days_left(loan)` next changes (or the loan ends)."""
    now = now or timezone.now()
    if loan.due_at <= now:
        return now
    return loan.due_at - datetime.timedelta(days=days_left(loan, now) - 1)


# --- locks ------------------------------------------------------------------------------------


# What the write paths read of a locked book: availability and visibility, the licence, and the
# usage event's language and age band (and the API's title). Not its ~40 columns (description,
# search text and vector, three JSON fields), which cost the database and the converters more
# than the rest of the read; a path that needs another field reads it (deferred).
LOCKED_BOOK_FIELDS = (
    "title",
    "language",
    "age_min",
    "licence_model",
    "licence_copies",
    "available_from",
    "available_until",
    "is_withdrawn",
    "is_hidden_from_children",
)


def _lock_book(book_id: int, now: datetime.datetime, *, available_only: bool = True, patron=None):
    """Lock the book's row (FOR UPDATE) for this transaction and return it (the fields above),
    then the row of `patron` if given (as `_lock_patron`; on PostgreSQL in the same statement).
    The availability check (`catalogue.available_books`) is the book's own `is_available_on`,
    read from the locked row, so the lock is one lean query by primary key (bibblix.lib.rows)."""
    from bibblix.catalogue.models import Book

    book = get_row(Book, "id", book_id, for_update=True, only=LOCKED_BOOK_FIELDS, then_lock=patron)
    if book is None:
        raise BookNotFound(book_id)
    if available_only:
        day = timezone.localdate(now)
        if not book.is_available_on(day):
            raise refuse("not_available")
        # Lendable only where the children's pages show the book (the catalogue's one rule), so
        # a hidden book cannot be borrowed or queued for through the API or OPDS either.
        from bibblix.catalogue import services as catalogue

        if not catalogue.is_visible_to_children(book, day):
            raise BookNotFound(book_id)  # as its page and API entry: 404, nothing told
    return book


def _lock_patron(patron) -> None:
    """Lock the child's row: the weekly and at-once counts are then read by one writer at a time.
    Plain SQL: it runs on every borrow, and building it with the ORM cost more than running it."""
    if not connection.features.has_select_for_update:
        return  # SQLite: the IMMEDIATE transaction already serialises writers
    table = connection.ops.quote_name(type(patron)._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE", [patron.pk])  # noqa: S608
        cursor.fetchall()


# Kinds of event that show a child using Bibblix; only they carry the monthly reader key.
_ACTIVE = frozenset(
    {UsageEvent.Kind.BORROWED, UsageEvent.Kind.RETURNED, UsageEvent.Kind.HOLD_PLACED}
)


def _record(kind: str, book, patron_id: int | None, municipality_id: int, library_id, now) -> None:
    """Append the anonymous usage event of a lending step (no patron id, see bibblix.usage)."""
    usage.record(
        kind,
        when=now,
        municipality_id=municipality_id,
        library_id=library_id,
        book=book,
        reader_id=patron_id if kind in _ACTIVE else None,
    )


def _record_for(kind: str, book, patron, now) -> None:
    _record(kind, book, patron.pk, patron.municipality_id, patron.library_id, now)


def _close_expired(patron, book, now: datetime.datetime) -> None:
    """Close an open loan of this book whose period has ended (it stays returned at due_at),
    so the unique index lets the child borrow the book again."""
    for loan in Loan.objects.filter(
        patron=patron, book_id=book.pk, returned_at__isnull=True, due_at__lte=now
    ):
        Loan.objects.filter(pk=loan.pk, returned_at__isnull=True).update(returned_at=loan.due_at)
        bump_child(patron.pk)
        _record_for(UsageEvent.Kind.EXPIRED, book, patron, loan.due_at)


def _create_loan(patron, book, rules: Rules, now: datetime.datetime, kind: str) -> Loan:
    """The loan and its usage event. On PostgreSQL in one statement (two inserts in a WITH),
    which spares every borrow a round trip and the ORM's insert compiler; elsewhere two ORM
    inserts. Both end in the same rows and the same IntegrityError on a duplicate open loan."""
    due = now + datetime.timedelta(days=rules.loan_days)
    if connection.vendor != "postgresql":
        loan = Loan.objects.create(patron=patron, book=book, borrowed_at=now, due_at=due)
        _record_for(kind, book, patron, now)
        return loan
    event = usage.event_row(
        kind,
        when=now,
        municipality_id=patron.municipality_id,
        library_id=patron.library_id,
        book=book,
        reader_id=patron.pk if kind in _ACTIVE else None,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _loan_and_event_sql(tuple(event)),
            [patron.pk, book.pk, now, due, *event.values()],
        )
        (loan_id,) = cursor.fetchone()
    # No model signal for this insert (the ORM's create sends one). Borrows and the queue's
    # hand-overs run in a transaction of their own that reads no pages.
    bump_child(patron.pk, own_transaction=True)
    loan = Loan(pk=loan_id, patron=patron, book=book, borrowed_at=now, due_at=due)
    loan._state.adding = False
    loan._state.db = connection.alias
    return loan


@functools.cache
def _loan_and_event_sql(event_fields: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    loan, event = Loan._meta, UsageEvent._meta
    marks = ", ".join(["%s"] * len(event_fields))

    def columns(opts, names):
        return ", ".join(quote(opts.get_field(name).column) for name in names)

    return (
        f"WITH new_loan AS (INSERT INTO {quote(loan.db_table)}"  # noqa: S608 (names from models)
        f" ({columns(loan, ['patron', 'book', 'borrowed_at', 'due_at'])})"
        f" VALUES (%s, %s, %s, %s) RETURNING {quote(loan.pk.column)}),"
        f" new_event AS (INSERT INTO {quote(event.db_table)}"
        f" ({columns(event, event_fields)}) VALUES ({marks}))"
        f" SELECT {quote(loan.pk.column)} FROM new_loan"
    )


# --- loans ------------------------------------------------------------------------------------


def borrow(patron, book_id: int, now: datetime.datetime | None = None) -> tuple[Loan, bool]:
    """Borrow a book for a child: (loan, created). A second tap returns the existing loan;
    a broken rule raises LendingRefused; an unknown book raises BookNotFound."""
    now = now or timezone.now()
    with transaction.atomic():
        book = _lock_book(book_id, now, patron=patron)
        # Read after the locks: a second tap waits here and then finds the first tap's loan.
        counts = loan_counts(patron, now, book.pk)
        existing = Loan.objects.get(pk=counts["open_id"]) if counts["open_id"] else None
        if existing is not None and existing.due_at > now:
            return existing, False
        rules = rules_for(patron.municipality_id)
        check_patron_rules(patron, rules, now, counts)
        free = free_copies(book, now)
        ahead = _holds_ahead(patron, book) if book.licence_model == "concurrent" and free > 0 else 0
        if free - ahead > 0:
            if existing is not None:
                _close_expired(patron, book, now)
            loan = _create_loan(patron, book, rules, now, UsageEvent.Kind.BORROWED)
            record_activity(patron, now)
            # Borrowing a book you queued for uses up your place in the queue.
            if book.licence_model == "concurrent" and (
                open_holds().filter(patron=patron, book=book).update(fulfilled_at=now, loan=loan)
            ):
                _queue_moved(book.pk)
            return loan, True
    if free > 0:
        # A copy freed by a loan that ended before `expire_loans` ran belongs to the children
        # in the queue, not to whoever asks first: hand it over now, in its own transaction
        # (locking other children's rows inside this one could deadlock with their borrows).
        advance_holds(book.pk, now)
    raise refuse("no_copy")


def _holds_ahead(patron, book) -> int:
    """Open holds of other children before this child's own place (all of them without one)."""
    holds = open_holds().filter(book=book).exclude(patron=patron)
    mine = open_hold_for(patron, book.pk)
    if mine is not None:
        holds = holds.filter(
            Q(placed_at__lt=mine.placed_at) | Q(placed_at=mine.placed_at, pk__lt=mine.pk)
        )
    return holds.count()


def get_loan(patron, loan_id: int) -> Loan | None:
    """One of the patron's own loans by id (another child's id gives None)."""
    return Loan.objects.select_related("book").filter(pk=loan_id, patron=patron).first()


def return_loan(patron, loan_id: int, now: datetime.datetime | None = None) -> Loan | None:
    """Return a loan early (idempotent); the copy goes to the next child in the queue.
    Returns None when the loan is not the patron's."""
    now = now or timezone.now()
    loan = get_loan(patron, loan_id)
    if loan is None:
        return None
    with transaction.atomic():
        book = _lock_book(loan.book_id, now, available_only=False)
        returned = Loan.objects.filter(pk=loan.pk, returned_at__isnull=True, due_at__gt=now).update(
            returned_at=now
        )
        if returned:
            bump_child(patron.pk, own_transaction=True)
            _record_for(UsageEvent.Kind.RETURNED, book, patron, now)
            _advance_holds(book, now)
    if returned:
        # After the commit: _advance_holds locks the rows of children in the queue, and holding
        # this child's row meanwhile could deadlock with a return by one of them.
        record_activity(patron, now)
    loan.refresh_from_db()
    return loan


# --- holds ------------------------------------------------------------------------------------


def open_holds() -> QuerySet[Hold]:
    return Hold.objects.filter(fulfilled_at__isnull=True, cancelled_at__isnull=True)


def queue_length(book_id: int) -> int:
    """How many children are waiting for a book."""
    return open_holds().filter(book_id=book_id).count()


def newcomer_queue_place(book, now: datetime.datetime | None = None) -> int | None:
    """The place a child not yet queued would get for a concurrent-licence book, or None when
    a copy is free for them. Free copies go to the children already in the queue first (one
    stopped by a rule for now keeps their place), as `borrow` decides."""
    waiting = queue_length(book.pk)
    return None if free_copies(book, now) > waiting else waiting + 1


def expected_back(book_id: int, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """When the first copy of a book is due back at the latest: the earliest due date of its
    open loans (None when none is out)."""
    open_loans = Loan.objects.filter(
        book_id=book_id, returned_at__isnull=True, due_at__gt=now or timezone.now()
    )
    return open_loans.order_by("due_at").values_list("due_at", flat=True).first()


def queue_position(hold: Hold) -> int:
    """The hold's place in its book's queue, 1 = next in line."""
    ahead = open_holds().filter(book_id=hold.book_id, placed_at__lt=hold.placed_at).count()
    ties = open_holds().filter(book_id=hold.book_id, placed_at=hold.placed_at, pk__lt=hold.pk)
    return ahead + ties.count() + 1


def open_hold_for(patron, book_id: int) -> Hold | None:
    return open_holds().filter(patron=patron, book_id=book_id).first()


def patron_holds(patron) -> list[Hold]:
    """The patron's open holds, each with `.position` set."""
    # One query for every hold's place (the same order as queue_position), not two per hold.
    ahead = (
        open_holds()
        .filter(book_id=OuterRef("book_id"))
        .filter(
            Q(placed_at__lt=OuterRef("placed_at"))
            | Q(placed_at=OuterRef("placed_at"), pk__lt=OuterRef("pk"))
        )
        .values("book_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    holds = list(
        open_holds()
        .filter(patron=patron)
        .select_related("book")
        .annotate(ahead=Coalesce(Subquery(ahead), 0))
    )
    for hold in holds:
        hold.position = hold.ahead + 1
    return holds


def circulation(patron, book_ids, holds: list[Hold] | None = None) -> dict[int, Circulation]:
    """The child's active loan or open hold of each of `book_ids` (a loan wins), by book id, for
    a catalogue feed to show. Two queries for a page of books, plus one per hold of the child
    among them (few: holds at once are capped). `holds`: the child's `patron_holds`, if read."""
    if patron is None:
        return {}
    ids = set(book_ids)
    holds = [
        hold for hold in (patron_holds(patron) if holds is None else holds) if hold.book_id in ids
    ]
    waiting = (
        dict(
            open_holds()
            .filter(book_id__in=[hold.book_id for hold in holds])
            .order_by()
            .values_list("book_id")
            .annotate(n=Count("pk"))
        )
        if holds
        else {}
    )
    now = timezone.now()
    states = {
        hold.book_id: hold_circulation(hold, hold.position, waiting.get(hold.book_id, 0), now)
        for hold in holds
    }
    for loan in active_loans(patron).filter(book_id__in=ids):
        states[loan.book_id] = loan_circulation(loan)
    return states


def place_hold(patron, book_id: int, now: datetime.datetime | None = None) -> tuple[Hold, bool]:
    """Put a child in the queue for a book whose copies are all out: (hold, created)."""
    now = now or timezone.now()
    existing = open_hold_for(patron, book_id)
    if existing is not None:
        return existing, False
    with transaction.atomic():
        book = _lock_book(book_id, now, patron=patron)
        existing = open_hold_for(patron, book_id)
        if existing is not None:
            return existing, False
        if book.licence_model != "concurrent":
            raise refuse("not_holdable")
        if active_loan_for(patron, book_id) is not None:
            raise refuse("already_borrowed")
        check_patron_connected(patron, now)
        if newcomer_queue_place(book, now) is None:
            raise refuse("hold_not_needed")
        limit = rules_for(patron.municipality_id).max_holds
        if open_holds().filter(patron=patron).count() >= limit:
            raise refuse("holds_at_once", limit=limit)
        hold = Hold.objects.create(patron=patron, book=book, placed_at=now)
        record_activity(patron, now)
        _record_for(UsageEvent.Kind.HOLD_PLACED, book, patron, now)
    return hold, True


def check_patron_connected(patron, now: datetime.datetime) -> None:
    from .rules import is_connected

    if not is_connected(patron.municipality_id, timezone.localdate(now)):
        raise refuse("not_connected")


def cancel_hold(patron, hold_id: int, now: datetime.datetime | None = None) -> bool:
    """Leave a queue (idempotent). False when the hold is not the patron's."""
    hold = Hold.objects.filter(pk=hold_id, patron=patron).first()
    if hold is None:
        return False
    now = now or timezone.now()
    if open_holds().filter(pk=hold.pk).update(cancelled_at=now):
        bump_child(patron.pk)
        _queue_moved(hold.book_id)
        record_activity(patron, now)
    return True


def _queue_moved(book_id: int) -> None:
    """The places of everyone still in a book's queue may have changed (Mina böcker shows them)."""
    bump_child(*open_holds().filter(book_id=book_id).values_list("patron_id", flat=True))


def _advance_holds(book, now: datetime.datetime) -> int:
    """Give free copies of a locked book to the children first in its queue. A child whom a rule
    stops right now (weekly limit, cap at once, municipality not connected) keeps their place and
    the copy goes to the next in line; they are tried again when a copy is next free."""
    if not book.is_available_on(timezone.localdate(now)):
        return 0
    free = free_copies(book, now)
    given = 0
    for hold in open_holds().filter(book=book).select_related("patron").order_by("placed_at", "pk"):
        if free <= 0:
            break
        patron = hold.patron
        _lock_patron(patron)
        loan = active_loan_for(patron, book.pk)
        if loan is None:
            rules = rules_for(patron.municipality_id)
            try:
                check_patron_rules(patron, rules, now)
            except LendingRefused:
                continue
            _close_expired(patron, book, now)
            loan = _create_loan(patron, book, rules, now, UsageEvent.Kind.HOLD_FULFILLED)
            free -= 1
            given += 1
        Hold.objects.filter(pk=hold.pk).update(fulfilled_at=now, loan=loan)
        bump_child(patron.pk)
        _queue_moved(book.pk)
    return given


def advance_holds(book_id: int, now: datetime.datetime | None = None) -> int:
    """Lend free copies of a book to its queue; returns how many loans were made."""
    now = now or timezone.now()
    with transaction.atomic():
        return _advance_holds(_lock_book(book_id, now, available_only=False), now)


def expire_loans(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Close loans whose period has ended and lend the freed copies to the queues (idempotent):
    (loans closed, loans made from holds)."""
    now = now or timezone.now()
    closed = made = 0
    due = Loan.objects.filter(returned_at__isnull=True, due_at__lte=now)
    for book_id in sorted(set(due.values_list("book_id", flat=True))):
        with transaction.atomic():
            book = _lock_book(book_id, now, available_only=False)
            rows = list(
                due.filter(book_id=book_id).values(
                    "pk", "due_at", "patron_id", "patron__municipality_id", "patron__library_id"
                )
            )
            for row in rows:
                if due.filter(pk=row["pk"]).update(returned_at=row["due_at"]):
                    closed += 1
                    bump_child(row["patron_id"])
                    _record(
                        UsageEvent.Kind.EXPIRED,
                        book,
                        None,
                        row["patron__municipality_id"],
                        row["patron__library_id"],
                        row["due_at"],
                    )
            made += _advance_holds(book, now)
    # Queues whose first children were stopped by a rule earlier may move on now.
    for book_id in sorted(set(open_holds().values_list("book_id", flat=True))):
        made += advance_holds(book_id, now)
    return closed, made
