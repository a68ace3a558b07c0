"""OPDS documents with the loan in them, built on the catalogue's OPDS builders.

A borrowed book is the catalogue's publication (or Atom entry) without its borrow link, whose
acquisition link to the Web Publication Manifest carries the loan's dates: OPDS 2.0
`properties.availability` (state, since, until), in Atom the `opds:availability` element of the
library extension ("OPDS for Library Patrons") that library apps read.
"""

import json

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _
from lxml import etree

from bibblix.catalogue import services as catalogue
from bibblix.catalogue.opds import links as L
from bibblix.catalogue.opds import selection, v1, v2

from . import services
from .models import Loan

OPDS2_JSON = f"{L.OPDS2}; charset=utf-8"
ATOM_ACQ = f"{L.ATOM_ACQUISITION};charset=utf-8"


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def atom_bytes(element) -> bytes:
    return v1.serialise(element)


def active_loans_with_books(patron) -> list[Loan]:
    """The child's active loans of books that can still be read, soonest end first."""
    rows = list(
        services.active_loans(patron)
        .filter(book__in=catalogue.available_books())
        .select_related("book")
        .order_by("due_at", "pk")
    )
    books = [loan.book for loan in rows]
    prefetch_related_objects(books, "book_contributors__contributor", "themes")
    return rows


def availability(loan: Loan) -> dict:
    return {
        "state": "available",
        "since": loan.borrowed_at.isoformat(),
        "until": loan.due_at.isoformat(),
    }


def borrowed_publication(site: L.Catalogue, book, loan: Loan) -> dict:
    """The OPDS 2.0 publication of a borrowed book: read it through the manifest until the
    loan ends."""
    document = v2.publication(site, book)
    links = [item for item in document["links"] if item.get("rel") != L.BORROW_REL]
    for item in links:
        if item.get("rel") == L.ACQUISITION_REL:
            item.setdefault("properties", {})["availability"] = availability(loan)
    document["links"] = links
    return document


def borrowed_entry(site: L.Catalogue, book, loan: Loan, *, standalone: bool = True):
    """The Atom entry of a borrowed book, the loan's dates on its acquisition link."""
    element = v1.entry(site, book, standalone=standalone)
    for link in element.findall(f"{{{v1.ATOM}}}link"):
        rel = link.get("rel")
        if rel == L.BORROW_REL:
            element.remove(link)
        elif rel == L.ACQUISITION_REL:
            dates = availability(loan)
            etree.SubElement(
                link,
                f"{{{v1.OPDS}}}availability",
                {"status": dates["state"], "since": dates["since"], "until": dates["until"]},
            )
    return element


def _page(rows: list[Loan]) -> selection.Page:
    """The shelf as one page of a listing, for the catalogue's feed builders; the publications
    themselves are added by the callers (with the loans' dates)."""
    listing = selection.Listing("loans", _("My loans"), catalogue.available_books().none())
    return selection.Page(listing, selection.Facets(), 1, len(rows), [])


def loans_feed(site: L.Catalogue, rows: list[Loan]) -> dict:
    """ "Mina lån" as an OPDS 2.0 feed: one publication per active loan (all on one page)."""
    feed = v2.publications_feed(site, _page(rows), [])
    if rows:
        # The builder leads an empty page back to the start; this page is not empty.
        del feed["navigation"]
        feed["publications"] = [borrowed_publication(site, loan.book, loan) for loan in rows]
    return feed


def loans_atom_feed(site: L.Catalogue, rows: list[Loan]):
    """ "Mina lån" as an OPDS 1.2 acquisition feed."""
    updated = max((loan.borrowed_at for loan in rows), default=None)
    feed = v1.acquisition_feed(site, _page(rows), [], updated)
    for loan in rows:
        feed.append(borrowed_entry(site, loan.book, loan, standalone=False))
    return feed
