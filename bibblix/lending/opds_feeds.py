"""OPDS documents with the child's loan or hold in them, built on the catalogue's OPDS builders.

A borrowed book is the catalogue's publication (or Atom entry) without its borrow link, whose
acquisition link to the Web Publication Manifest carries the loan's dates; a book the child queues
for keeps its borrow link, and both acquisition links say "reserved" with the place in the queue.
In OPDS 2.0 these are the link `properties` `availability`, `holds` and `copies`; in Atom the
`opds:availability`, `opds:holds` and `opds:copies` elements of the library extension ("OPDS for
Library Patrons") that library apps read. Both carry a `revoke` link: return the loan or leave
the queue, as in the Palace Project's circulation manager.
"""

import json

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from bibblix.catalogue import services as catalogue
from bibblix.catalogue.opds import links as L
from bibblix.catalogue.opds import selection, v1, v2

from . import services
from .models import Hold, Loan

OPDS2_JSON = f"{L.OPDS2}; charset=utf-8"
ATOM_ACQ = f"{L.ATOM_ACQUISITION};charset=utf-8"
# The Library Simplified (Palace) relation for "give it back": return a loan or leave a queue.
REVOKE_REL = "http://librarysimplified.org/terms/rel/revoke"


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def atom_bytes(element) -> bytes:
    return v1.serialise(element)


def revoke_url(site: L.Catalogue, book) -> str:
    return site.url(f"books/{book.pk}/revoke")


def shelf(patron) -> tuple[list[Loan], list[Hold]]:
    """The child's active loans (soonest end first) and open holds (placed first, each with
    `.position`), of books that can still be borrowed."""
    loans = list(
        services.active_loans(patron)
        .filter(book__in=catalogue.available_books())
        .select_related("book")
        .order_by("due_at", "pk")
    )
    today = timezone.localdate()
    holds = [hold for hold in services.patron_holds(patron) if hold.book.is_available_on(today)]
    books = [row.book for row in [*loans, *holds]]
    prefetch_related_objects(books, "book_contributors__contributor", "themes")
    return loans, holds


def availability(loan: Loan) -> dict:
    return {
        "state": "available",
        "since": loan.borrowed_at.isoformat(),
        "until": loan.due_at.isoformat(),
    }


def loan_properties(loan: Loan) -> dict:
    """A loan as OPDS 2.0 link properties: readable until the loan ends."""
    return {"availability": availability(loan)}


def hold_properties(book, hold: Hold, position: int) -> dict:
    """The child's place in the queue, in the names of the OPDS 2.0 link properties schema."""
    # The queue is counted by its own query: never show a place behind the end of the queue.
    total = max(services.queue_length(book.pk), position)
    return {
        "availability": {"state": "reserved", "since": hold.placed_at.isoformat()},
        "holds": {"total": total, "position": position},
        "copies": {
            "total": book.licence_copies,
            "available": max(0, min(book.licence_copies, services.free_copies(book))),
        },
    }


def _gives_access(properties: dict | None) -> bool:
    """Whether the child may read the book now: then there is nothing to borrow any more."""
    return properties is not None and properties["availability"]["state"] == "available"


def publication(site: L.Catalogue, book, properties: dict | None = None) -> dict:
    """The catalogue's OPDS 2.0 publication with the child's loan or hold (`properties`, None
    for neither) on its acquisition links (Palace apps read the borrow link's, others the
    manifest's) and a link to give it back. A queued book keeps its borrow link: it answers the
    loan once the queue has lent the child a copy, else the hold."""
    document = v2.publication(site, book)
    if properties is None:
        return document
    links = document["links"]
    if _gives_access(properties):
        links = [item for item in links if item.get("rel") != L.BORROW_REL]
    for item in links:
        if item.get("rel") in (L.BORROW_REL, L.ACQUISITION_REL):
            item.setdefault("properties", {}).update(properties)
    links.append(v2.link(revoke_url(site, book), REVOKE_REL, site.borrow_type))
    document["links"] = links
    return document


def entry(site: L.Catalogue, book, properties: dict | None = None, *, standalone: bool = True):
    """The catalogue's Atom entry with the child's loan or hold, as `publication`."""
    element = v1.entry(site, book, standalone=standalone)
    if properties is None:
        return element
    for link in element.findall(f"{{{v1.ATOM}}}link"):
        rel = link.get("rel")
        if rel == L.BORROW_REL and _gives_access(properties):
            element.remove(link)
        elif rel in (L.BORROW_REL, L.ACQUISITION_REL):
            _add_atom_properties(link, properties)
    attributes = {"href": revoke_url(site, book), "rel": REVOKE_REL, "type": site.borrow_type}
    etree.SubElement(element, f"{{{v1.ATOM}}}link", attributes)
    return element


def _add_atom_properties(link, properties: dict) -> None:
    """OPDS 2.0 link properties as the library extension's elements: the same names and
    attributes (`opds:availability`, `opds:holds`, `opds:copies`), except that Atom says
    `status` where OPDS 2.0 says `state`."""
    for name, values in properties.items():
        attributes = {("status" if key == "state" else key): str(v) for key, v in values.items()}
        etree.SubElement(link, f"{{{v1.OPDS}}}{name}", attributes)


def publication_bytes(site: L.Catalogue, book, properties: dict | None = None) -> bytes:
    """One book in the catalogue's version: an OPDS 2.0 publication or a complete Atom entry."""
    if site.version == "v2":
        return json_bytes(publication(site, book, properties))
    return atom_bytes(entry(site, book, properties))


def _page(count: int) -> selection.Page:
    """The shelf as one page of a listing, for the catalogue's feed builders; the publications
    themselves are added by the callers (with the loans' and holds' states)."""
    listing = selection.Listing("loans", _("My loans"), catalogue.available_books().none())
    return selection.Page(listing, selection.Facets(), 1, count, [])


def _shelf_states(loans: list[Loan], holds: list[Hold]) -> list[tuple]:
    """(book, properties) for each loan, then each hold."""
    return [(loan.book, loan_properties(loan)) for loan in loans] + [
        (hold.book, hold_properties(hold.book, hold, hold.position)) for hold in holds
    ]


def loans_feed(site: L.Catalogue, loans: list[Loan], holds: list[Hold]) -> dict:
    """ "Mina lån" as an OPDS 2.0 feed (all on one page): the loans, then the holds."""
    feed = v2.publications_feed(site, _page(len(loans) + len(holds)), [])
    if loans or holds:
        # The builder leads an empty page back to the start; this page is not empty.
        del feed["navigation"]
        feed["publications"] = [
            publication(site, book, properties) for book, properties in _shelf_states(loans, holds)
        ]
    return feed


def loans_atom_feed(site: L.Catalogue, loans: list[Loan], holds: list[Hold]):
    """ "Mina lån" as an OPDS 1.2 acquisition feed: the loans, then the holds."""
    moments = [loan.borrowed_at for loan in loans] + [hold.placed_at for hold in holds]
    feed = v1.acquisition_feed(site, _page(len(loans) + len(holds)), [], max(moments, default=None))
    for book, properties in _shelf_states(loans, holds):
        feed.append(entry(site, book, properties, standalone=False))
    return feed
