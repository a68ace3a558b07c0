"""Loan rules: a municipality's policy (or the service's defaults) and the refusals they give.

Kept apart from the write paths in `services.py` so that the rules read as one list.
"""

import datetime
from dataclasses import dataclass

from django.core.cache import caches
from django.db import connection
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import (
    DEFAULT_LOAN_DAYS,
    DEFAULT_MAX_HOLDS,
    DEFAULT_RETENTION_YEARS,
    DEFAULT_WEEKLY_LIMIT,
    Loan,
    LoanPolicy,
)

# "A week" in the weekly rule is any 7 days in a row (rolling), not a calendar week: a child
# cannot borrow 5 books on a Sunday and 5 more on the Monday.
WEEK = datetime.timedelta(days=7)
RULES_CACHE_SECONDS = 60


@dataclass(frozen=True)
class Rules:
    weekly_limit: int = DEFAULT_WEEKLY_LIMIT
    loan_days: int = DEFAULT_LOAN_DAYS
    max_active_loans: int | None = None
    max_holds: int = DEFAULT_MAX_HOLDS
    retention_years: int = DEFAULT_RETENTION_YEARS


class LendingRefused(Exception):
    """A rule stopped a loan or hold; `rule` is a stable code, `detail` a text for the child."""

    def __init__(self, rule: str, detail: str):
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


def rules_for(municipality_id: int) -> Rules:
    """The loan rules of a municipality: its own LoanPolicy, or the service's defaults.
    Cached for a minute per web worker (a saved LoanPolicy clears its own worker's copy)."""
    cache = caches["local"]
    key = rules_cache_key(municipality_id)
    rules = cache.get(key)
    if rules is None:
        policy = LoanPolicy.objects.filter(municipality_id=municipality_id).first()
        rules = (
            Rules()
            if policy is None
            else Rules(
                weekly_limit=policy.weekly_limit,
                loan_days=policy.loan_days,
                max_active_loans=policy.max_active_loans,
                max_holds=policy.max_holds,
                retention_years=policy.retention_years,
            )
        )
        cache.set(key, rules, RULES_CACHE_SECONDS)
    return rules


def rules_cache_key(municipality_id: int) -> str:
    return f"lending:rules:{municipality_id}"


def is_connected(municipality_id: int, day: datetime.date) -> bool:
    """Whether the municipality is connected on `day` (the member register's cached answer,
    cleared at once when a connection changes)."""
    from bibblix.members import services as members

    return municipality_id in members.connected_municipality_ids(day)


def refuse(rule: str, **params) -> LendingRefused:
    texts = {
        "not_connected": _(
            "Your municipality is not part of Bibblix right now, so you cannot borrow. "
            "Ask at your library!"
        ),
        "not_available": _("This book cannot be borrowed right now."),
        "weekly_limit": _(
            "You have borrowed %(limit)s books in the last 7 days. "
            "You can borrow a new book on %(date)s."
        ),
        "loans_at_once": _("You already have %(limit)s books. Return one to borrow a new one."),
        "no_copy": _(
            "Someone else is reading this book right now. Join the queue and you will get it "
            "when it is your turn."
        ),
        "not_holdable": _("Everyone can borrow this book at the same time, so there is no queue."),
        "hold_not_needed": _("The book is free to borrow right now. Tap “Borrow”!"),
        "already_borrowed": _("You have already borrowed this book."),
        "holds_at_once": _(
            "You are already waiting for %(limit)s books. Leave one of the queues to join a new one."
        ),
    }
    return LendingRefused(rule, texts[rule] % params if params else texts[rule])


def loan_counts(patron, now: datetime.datetime, book_id: int | None = None) -> dict:
    """In one query: loans started in the rolling week, active loans, and the id of the
    child's open loan of `book_id` if any (`open_id`). Plain SQL because every borrow runs it
    and the ORM took longer to build the statement than the database to answer it."""
    table = connection.ops.quote_name(Loan._meta.db_table)
    moment = connection.ops.adapt_datetimefield_value
    # The only interpolation is our own table name.
    sql = (
        "SELECT COUNT(CASE WHEN borrowed_at > %s THEN 1 END),"  # noqa: S608
        " COUNT(CASE WHEN returned_at IS NULL AND due_at > %s THEN 1 END),"
        " MAX(CASE WHEN book_id = %s AND returned_at IS NULL THEN id END)"
        f" FROM {table} WHERE patron_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment(now - WEEK), moment(now), book_id, patron.pk])
        week, active, open_id = cursor.fetchone()
    return {"week": week, "active": active, "open_id": open_id}


def check_patron_rules(
    patron, rules: Rules, now: datetime.datetime, counts: dict | None = None
) -> None:
    """Raise LendingRefused if the child may not start a new loan now (any book)."""
    if not is_connected(patron.municipality_id, timezone.localdate(now)):
        raise refuse("not_connected")
    counts = counts or loan_counts(patron, now)
    if rules.max_active_loans is not None and counts["active"] >= rules.max_active_loans:
        raise refuse("loans_at_once", limit=rules.max_active_loans)
    if counts["week"] >= rules.weekly_limit:
        again = timezone.localtime(_next_free_slot(patron, rules, now))
        raise refuse(
            "weekly_limit",
            limit=rules.weekly_limit,
            date=formats.date_format(again, "j F"),
        )


def _next_free_slot(patron, rules: Rules, now: datetime.datetime) -> datetime.datetime:
    """When the rolling week next lets the child borrow: when enough of this week's loans
    have dropped out of the 7 days."""
    starts = list(
        Loan.objects.filter(patron=patron, borrowed_at__gt=now - WEEK)
        .order_by("borrowed_at")
        .values_list("borrowed_at", flat=True)
    )
    over = len(starts) - rules.weekly_limit
    return starts[over] + WEEK


def active_copies(book_id: int, now: datetime.datetime) -> int:
    return Loan.objects.filter(book_id=book_id, returned_at__isnull=True, due_at__gt=now).count()


def free_copies(book, now: datetime.datetime) -> float:
    """Copies free to lend now; unlimited licences never run out."""
    if book.licence_model != "concurrent":
        return float("inf")
    return book.licence_copies - active_copies(book.pk, now)
