"""The children's lending API: loans, holds, reading progress and bookmarks of the logged-in
child only. Refusals answer 409 with {"detail": <text in the child's language>, "rule": <code>}."""

import datetime

from django.http import HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from bibblix.lib.inputs import Id, Text
from bibblix.patrons.auth import patron_auth

from . import services
from .models import Bookmark, Hold, Loan, ReadingProgress

router = Router(tags=["lending"], auth=patron_auth)


# A locator is an EPUB CFI or a Readium locator as JSON: a few hundred characters in practice.
MAX_LOCATOR = 4000


class BookIn(Schema):
    book: Id


class LoanOut(Schema):
    id: int
    book: int
    title: str
    borrowed_at: datetime.datetime
    due_at: datetime.datetime
    days_left: int


class HoldOut(Schema):
    id: int
    book: int
    title: str
    placed_at: datetime.datetime
    position: int


class Refusal(Schema):
    detail: str
    rule: str


class ProgressIn(Schema):
    locator: Text(MAX_LOCATOR)
    percentage: float
    updated_at: datetime.datetime | None = None


class ProgressOut(Schema):
    locator: str
    percentage: float
    updated_at: datetime.datetime | None


class BookmarkIn(Schema):
    book: Id
    locator: Text(MAX_LOCATOR)
    label: Text(200) = ""


class BookmarkOut(Schema):
    id: int
    book: int
    locator: str
    label: str
    created_at: datetime.datetime


def _loan_out(loan: Loan) -> dict:
    return {
        "id": loan.pk,
        "book": loan.book_id,
        "title": loan.book.title,
        "borrowed_at": loan.borrowed_at,
        "due_at": loan.due_at,
        "days_left": services.days_left(loan),
    }


def _hold_out(hold: Hold) -> dict:
    position = getattr(hold, "position", None) or services.queue_position(hold)
    return {
        "id": hold.pk,
        "book": hold.book_id,
        "title": hold.book.title,
        "placed_at": hold.placed_at,
        "position": position,
    }


def _progress_out(row: ReadingProgress | None) -> dict:
    if row is None:
        return {"locator": "", "percentage": 0.0, "updated_at": None}
    return {"locator": row.locator, "percentage": row.percentage, "updated_at": row.updated_at}


def _bookmark_out(row: Bookmark) -> dict:
    return {
        "id": row.pk,
        "book": row.book_id,
        "locator": row.locator,
        "label": row.label,
        "created_at": row.created_at,
    }


def _known_book(book_id: int) -> None:
    from bibblix.catalogue import services as catalogue

    if catalogue.get_children_book(book_id) is None:
        raise HttpError(404, "Not found")


@router.get("/loans", response=list[LoanOut])
def list_loans(request):
    return [
        _loan_out(loan) for loan in services.active_loans(request.patron).select_related("book")
    ]


@router.post("/loans", response={200: LoanOut, 201: LoanOut, 404: Refusal, 409: Refusal})
def create_loan(request, payload: BookIn):
    """Borrow a book: 201 with the new loan, 200 with the existing one on a second tap."""
    try:
        loan, created = services.borrow(request.patron, payload.book)
    except services.BookNotFound:
        return Status(404, {"detail": "Not found", "rule": "not_found"})
    except services.LendingRefused as refusal:
        return Status(409, {"detail": refusal.detail, "rule": refusal.rule})
    return Status(201 if created else 200, _loan_out(loan))


@router.delete("/loans/{loan_id}", response={204: None})
def delete_loan(request, loan_id: Id):
    """Return a loan early (a loan already returned or ended answers 204 as well)."""
    if services.return_loan(request.patron, loan_id) is None:
        raise HttpError(404, "Not found")
    return HttpResponse(status=204)


@router.get("/holds", response=list[HoldOut])
def list_holds(request):
    return [_hold_out(hold) for hold in services.patron_holds(request.patron)]


@router.post("/holds", response={200: HoldOut, 201: HoldOut, 404: Refusal, 409: Refusal})
def create_hold(request, payload: BookIn):
    """Join the queue for a book: 201 with the new hold, 200 with the existing one."""
    try:
        hold, created = services.place_hold(request.patron, payload.book)
    except services.BookNotFound:
        return Status(404, {"detail": "Not found", "rule": "not_found"})
    except services.LendingRefused as refusal:
        return Status(409, {"detail": refusal.detail, "rule": refusal.rule})
    return Status(201 if created else 200, _hold_out(hold))


@router.delete("/holds/{hold_id}", response={204: None})
def delete_hold(request, hold_id: Id):
    if not services.cancel_hold(request.patron, hold_id):
        raise HttpError(404, "Not found")
    return HttpResponse(status=204)


@router.get("/progress/{book_id}", response=ProgressOut)
def read_progress(request, book_id: Id):
    """The saved position (empty locator and null updated_at when there is none yet)."""
    _known_book(book_id)
    return _progress_out(services.get_progress(request.patron, book_id))


@router.put("/progress/{book_id}", response=ProgressOut)
def write_progress(request, book_id: Id, payload: ProgressIn):
    """Save the position; a write older than the saved one is ignored and the saved one returned."""
    _known_book(book_id)
    if not 0.0 <= payload.percentage <= 1.0:
        raise HttpError(422, "percentage must be between 0 and 1")
    try:
        row, _applied = services.record_progress(
            request.patron, book_id, payload.locator, payload.percentage, payload.updated_at
        )
    except services.BookNotFound:  # deleted while the position was on its way
        raise HttpError(404, "Not found") from None
    return _progress_out(row)


@router.get("/bookmarks", response=list[BookmarkOut])
def list_bookmarks(request, book: Id | None = None):
    return [_bookmark_out(row) for row in services.bookmarks(request.patron, book)]


@router.post("/bookmarks", response={201: BookmarkOut})
def create_bookmark(request, payload: BookmarkIn):
    _known_book(payload.book)
    row = services.add_bookmark(request.patron, payload.book, payload.locator, payload.label)
    return Status(201, _bookmark_out(row))


@router.delete("/bookmarks/{bookmark_id}", response={204: None})
def remove_bookmark(request, bookmark_id: Id):
    if not services.delete_bookmark(request.patron, bookmark_id):
        raise HttpError(404, "Not found")
    return HttpResponse(status=204)
