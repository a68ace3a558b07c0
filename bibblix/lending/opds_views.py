"""Borrowing from OPDS reading apps, and the child's loans as a feed ("Mina lån").

The catalogue builds the feeds and publications; lending adds what only it knows: the loan. Each
library catalogue (/opds/v{1,2}/libraries/<id>/) gets
- `books/<book>/borrow`: borrows the book for the child of the library card in the request
  (HTTP Basic, as the feeds) and answers with the book as an OPDS 2.0 publication (or an Atom
  entry) whose acquisition link leads to the readable Web Publication Manifest;
- `loans`: the child's active loans, each with the loan's end (`availability.until`).
See docs/opds.md.
"""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from bibblix.catalogue import services as catalogue
from bibblix.catalogue.opds import auth
from bibblix.catalogue.opds import links as L

from . import opds_feeds as feeds
from . import services

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
        # A session cookie alone never borrows here: it is ambient (see `borrow`).
        return library, None, auth.challenge(request, library)
    patron, refusal = auth.authenticate_child(request, library)
    return library, patron, refusal


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
@csrf_exempt
@require_http_methods(["GET", "POST", "PUT"])
def borrow(request, version: str, library_id: int, book_id: int) -> HttpResponse:
    """Borrow a book from a reading app: 201 new loan, 200 existing loan (idempotent), 409 rule,
    401 no or wrong card. GET is accepted too: OPDS 1.2 apps follow acquisition links with GET,
    and a repeated borrow changes nothing (the existing loan is returned)."""
    if _from_another_site(request):
        return _problem(
            403, "cross_site", _("Borrow from the Bibblix website or your reading app.")
        )
    library, patron, refusal = _child_of_library(request, library_id, require_card=True)
    if refusal is not None:
        return refusal
    try:
        loan, created = services.borrow(patron, book_id)
    except services.BookNotFound:
        raise Http404 from None
    except services.LendingRefused as refused:
        return _problem(409, refused.rule, refused.detail)
    book = _book_for_feed(loan.book_id)
    site = L.Catalogue(request, version, library)
    if version == "v2":
        body = feeds.json_bytes(feeds.borrowed_publication(site, book, loan))
    else:
        body = feeds.atom_bytes(feeds.borrowed_entry(site, book, loan))
    response = HttpResponse(body, status=201 if created else 200)
    response["Content-Type"] = _CONTENT_TYPES[version]
    response["Cache-Control"] = "no-store"
    response["Location"] = site.manifest_url(book)
    return response


def _book_for_feed(book_id: int):
    book = catalogue.get_book(book_id)
    prefetch_related_objects([book], "book_contributors__contributor", "themes")
    return book


@require_safe
def loans(request, version: str, library_id: int) -> HttpResponse:
    """The child's active loans in this library's catalogue (OPDS 2.0 feed or Atom feed)."""
    library, patron, refusal = _child_of_library(request, library_id, require_card=False)
    if refusal is not None:
        return refusal
    site = L.Catalogue(request, version, library)
    rows = feeds.active_loans_with_books(patron)
    if version == "v2":
        body, content_type = feeds.json_bytes(feeds.loans_feed(site, rows)), feeds.OPDS2_JSON
    else:
        body, content_type = feeds.atom_bytes(feeds.loans_atom_feed(site, rows)), feeds.ATOM_ACQ
    response = HttpResponse(body, content_type=content_type)
    # The shelf changes with every borrow and return: apps must ask again each time.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Cookie"
    return response
