"""Borrowing from OPDS reading apps, holds and returns, and the child's shelf ("Mina lån").

Lending does the borrowing and says what the child has of a book (`lending.services.circulation`,
a `Circulation`); the feed builders show it on the publication. Each library catalogue
(/opds/v{1,2}/libraries/<id>/) gets
- `books/<book>/borrow`: borrows the book for the child of the library card in the request
  (HTTP Basic, as the feeds) and answers with the book as an OPDS 2.0 publication (or an Atom
  entry) whose acquisition link leads to the readable Web Publication Manifest; when every copy
  is out it places a hold and answers the book as reserved, with the place in the queue;
- `books/<book>/revoke`: returns the child's loan of the book, or leaves its queue;
- `loans`: the child's active loans, each with the loan's end (`availability.until`), then the
  open holds, each with its place.
See docs/opds.md.
"""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from bibblix.catalogue import services as catalogue
from bibblix.lending import services

from . import auth, selection, v1, v2
from . import links as L
from .views import ATOM_ACQ, JSON_V2, json_bytes

PROBLEM = "application/problem+json"
_CONTENT_TYPES = {
    "v2": f"{L.OPDS2_PUBLICATION}; charset=utf-8",
    "v1": f"{L.ATOM_ENTRY};charset=utf-8",
}
# Browsers say where a request comes from (Fetch Metadata); reading apps send no such header.
_BROWSER_SITES_ALLOWED = {"same-origin", "none"}


def _child_of_library(request, library_id: int, *, require_card: bool):
    """(library, patron, None) or (library, None, the refusal to send)."""
    library = auth.connected_library(library_id)
    if library is None:
        raise Http404
    if require_card and auth.basic_credentials(request) is None:
        # A session cookie alone never borrows or gives back here: it is ambient (see `borrow`).
        return library, None, auth.challenge(request, library)
    patron, refusal = auth.authenticate_child(request, library)
    return library, patron, refusal


def _child_of_app(request, library_id: int, cross_site_text: str):
    """The child whose card an app sends to borrow or give back: as `_child_of_library`, the
    card required, after refusing what a browser marks as started by another site."""
    if _from_another_site(request):
        return None, None, _problem(403, "cross_site", cross_site_text)
    return _child_of_library(request, library_id, require_card=True)


def _problem(status: int, rule: str, detail: str) -> JsonResponse:
    """A refusal as RFC 9457 problem details (what library apps show), with the JSON API's
    `detail` and `rule`."""
    body = {"type": "about:blank", "title": detail, "status": status, "detail": detail}
    body["rule"] = rule
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = f"{PROBLEM}; charset=utf-8"
    response["Cache-Control"] = "no-store"
    return response


def _from_another_site(request) -> bool:
    return request.headers.get("Sec-Fetch-Site", "none") not in _BROWSER_SITES_ALLOWED


# CSRF protection exists because a browser adds the session cookie to any request, also one that
# another site starts (a form, a link). This endpoint does not take the cookie as proof: it needs
# the card in an `Authorization: Basic` header, which reading apps set on each request and which
# another site cannot add. Only a browser in which the child once typed the card into a Basic
# prompt would send it by itself; browsers mark cross-site requests with `Sec-Fetch-Site`, and
# those are refused. OPDS apps send no CSRF token, so Django's check would stop every one of them.
# `revoke` below rests on the same reasoning.
@csrf_exempt
@require_http_methods(["GET", "POST", "PUT"])
def borrow(request, version: str, library_id: int, book_id: int) -> HttpResponse:
    """Borrow a book from a reading app: 201 new loan, 200 existing loan (idempotent), 409 rule,
    401 no or wrong card. When all copies are out the child joins the queue instead (201 new
    hold, 200 existing hold), as library apps expect of a borrow link. GET is accepted too:
    OPDS 1.2 apps follow acquisition links with GET, and a repeated borrow changes nothing (the
    existing loan or hold is returned)."""
    library, patron, refusal = _child_of_app(
        request, library_id, _("Borrow from the Bibblix website or your reading app.")
    )
    if refusal is not None:
        return refusal
    site = L.Catalogue(request, version, library, patron)
    try:
        loan, created = services.borrow(patron, book_id)
    except services.BookNotFound:
        raise Http404 from None
    except services.LendingRefused as refused:
        if refused.rule == "no_copy":
            return _join_queue(site, patron, book_id)
        return _problem(409, refused.rule, refused.detail)
    book = _book_for_feed(loan.book_id)
    site.states = {book.pk: services.loan_circulation(loan)}
    response = _publication(site, book, 201 if created else 200)
    response["Location"] = site.manifest_url(book)
    return response


def _join_queue(site: L.Catalogue, patron, book_id: int) -> HttpResponse:
    """Every copy is out: place a hold (201, or 200 for the one the child already has) and
    answer the reserved publication with the place in the queue."""
    try:
        hold, created = services.place_hold(patron, book_id)
    except services.LendingRefused as refused:
        return _problem(409, refused.rule, refused.detail)
    book = _book_for_feed(book_id)
    position = services.queue_position(hold)
    state = services.hold_circulation(hold, position, services.queue_length(book_id))
    site.states = {book.pk: state}
    return _publication(site, book, 201 if created else 200)


def _publication(site: L.Catalogue, book, status: int) -> HttpResponse:
    """One book in the catalogue's version: an OPDS 2.0 publication or a complete Atom entry,
    with the child's loan or hold if `site` has it."""
    if site.version == "v2":
        body = json_bytes(v2.publication(site, book))
    else:
        body = v1.serialise(v1.entry(site, book, standalone=True))
    response = HttpResponse(body, status=status)
    response["Content-Type"] = _CONTENT_TYPES[site.version]
    response["Cache-Control"] = "no-store"
    return response


def _book_for_feed(book_id: int):
    book = catalogue.get_book(book_id)
    prefetch_related_objects([book], "book_contributors__contributor", "themes")
    return book


# GET, PUT and DELETE too: Palace (SimplyE) apps follow the revoke link with GET, others with
# PUT or DELETE. Unlike a borrow a revoke is not repeatable, but a second one changes nothing
# either (404), and HEAD, which link checkers and prefetchers send, is refused.
@csrf_exempt
@require_http_methods(["GET", "POST", "PUT", "DELETE"])
def revoke(request, version: str, library_id: int, book_id: int) -> HttpResponse:
    """Return the child's loan of a book, or leave its queue, from a reading app: 200 with the
    publication as anyone sees it (borrow link again), 404 when there is nothing to give back.
    The card and the cross-site refusal as for `borrow`."""
    library, patron, refusal = _child_of_app(
        request, library_id, _("Return books from the Bibblix website or your reading app.")
    )
    if refusal is not None:
        return refusal
    loan = services.active_loan_for(patron, book_id)
    if loan is not None:
        # return_loan also lends the freed copy to the first child in the queue.
        services.return_loan(patron, loan.pk)
    elif (hold := services.open_hold_for(patron, book_id)) is not None:
        services.cancel_hold(patron, hold.pk)
    else:
        return _problem(
            404,
            "nothing_to_revoke",
            _("You have not borrowed this book and you are not in its queue."),
        )
    site = L.Catalogue(request, version, library, patron)
    return _publication(site, _book_for_feed(book_id), 200)


@require_safe
def loans(request, version: str, library_id: int) -> HttpResponse:
    """The child's active loans, then open holds, in this library's catalogue (OPDS 2.0 feed or
    Atom feed)."""
    library, patron, refusal = _child_of_library(request, library_id, require_card=False)
    if refusal is not None:
        return refusal
    site = L.Catalogue(request, version, library, patron)
    books, site.states = shelf(patron)
    # All on one page; the listing only names the feed (its books come from `shelf`).
    listing = selection.Listing("loans", _("My loans"), catalogue.children_books().none())
    page = selection.Page(listing, selection.Facets(), 1, len(books), books)
    if version == "v2":
        body = json_bytes(v2.publications_feed(site, page, []))
        content_type = JSON_V2
    else:
        updated = max((state.since for state in site.states.values()), default=None)
        body = v1.serialise(v1.acquisition_feed(site, page, [], updated))
        content_type = ATOM_ACQ
    response = HttpResponse(body, content_type=content_type)
    # The shelf changes with every borrow, hold and return: apps must ask again each time.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie"
    return response


def shelf(patron) -> tuple[list, dict]:
    """The books of the child's active loans (soonest end first), then of their open holds
    (placed first), of books that can still be borrowed; and the child's state of each."""
    loans = list(
        services.active_loans(patron)
        .filter(book__in=catalogue.children_books())
        .select_related("book")
        .order_by("due_at", "pk")
    )
    today = timezone.localdate()
    visible = set(
        catalogue.children_books(today)
        .filter(pk__in=[hold.book_id for hold in services.patron_holds(patron)])
        .values_list("pk", flat=True)
    )
    holds = [hold for hold in services.patron_holds(patron) if hold.book_id in visible]
    books = [row.book for row in [*loans, *holds]]
    prefetch_related_objects(books, "book_contributors__contributor", "themes")
    return books, services.circulation(patron, [book.pk for book in books], holds=holds)
