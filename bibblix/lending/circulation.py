"""What a child has of a book, for catalogues to show next to it: a loan (readable until it
ends) or a place in the book's queue. Catalogue feeds (the opds app) annotate each publication
with this, as the Palace Project's feed annotators add a patron's loans and holds to a feed; they
never read loans or holds themselves. `services.circulation(patron, book_ids)` is the public
function; the builders here turn one loan or hold into that state."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Hold, Loan
from .rules import free_copies


@dataclass(frozen=True)
class Circulation:
    """A child's loan ("available": readable from `since` until `until`) or open hold
    ("reserved" since `since`, at `position` among `waiting` children, with the licence's
    `copies` of which `free` are free now)."""

    state: str
    since: datetime.datetime
    until: datetime.datetime | None = None
    position: int | None = None
    waiting: int | None = None
    copies: int | None = None
    free: int | None = None

    @property
    def gives_access(self) -> bool:
        """Whether the child may read the book now (then there is nothing to borrow)."""
        return self.state == "available"


def loan_circulation(loan: Loan) -> Circulation:
    """A loan as the child's state of its book."""
    return Circulation("available", since=loan.borrowed_at, until=loan.due_at)


def hold_circulation(
    hold: Hold, position: int, waiting: int, now: datetime.datetime | None = None
) -> Circulation:
    """A hold at `position` in a queue of `waiting` children (counted by its own query, so never
    show a place behind the end of the queue)."""
    copies = hold.book.licence_copies
    free = max(0, min(copies, free_copies(hold.book, now or timezone.now())))
    return Circulation(
        "reserved",
        since=hold.placed_at,
        position=position,
        waiting=max(waiting, position),
        copies=copies,
        free=free,
    )
