"""OPDS 1.2 (Atom) feeds, entries and the OpenSearch description, built with lxml.

Specification: https://specs.opds.io/opds-1.2 . Facets are `rel="http://opds-spec.org/facet"`
links with opds:facetGroup and opds:activeFacet (section 4.3), counts in thr:count."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from bibblix.catalogue.models import Book, BookContributor

from . import links as L
from .selection import PAGE_SIZE, FacetGroup, Page, theme_name

ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DCTERMS = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
THREAD = "http://purl.org/syndication/thread/1.0"
NSMAP = {None: ATOM, "opds": OPDS, "dcterms": DCTERMS, "opensearch": OPENSEARCH, "thr": THREAD}
FACET_REL = "http://opds-spec.org/facet"
# MARC relator codes for the Atom contributor's opf:role would need the OPF namespace; OPDS 1.2
# readers show atom:author, so illustrators and others go in atom:contributor.
_CONTRIBUTOR_ROLES = [
    BookContributor.Role.ILLUSTRATOR,
    BookContributor.Role.TRANSLATOR,
    BookContributor.Role.NARRATOR,
]


def _sub(parent, tag: str, text: str | None = None, ns: str = ATOM, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: v for k, v in attrs.items() if v})
    if text is not None:
        element.text = text
    return element


def _link(parent, href: str, rel: str, type_: str, **attrs):
    return _sub(parent, "link", href=href, rel=rel, type=type_, **attrs)


def _stamp(moment: datetime.datetime | None) -> str:
    return (moment or timezone.now()).astimezone(datetime.UTC).isoformat(timespec="seconds")


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _feed(catalogue: L.Catalogue, feed_id: str, title: str, self_href: str, kind: str, updated):
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
    _sub(feed, "id", feed_id)
    _sub(feed, "title", title)
    _sub(feed, "updated", _stamp(updated))
    author = _sub(feed, "author")
    _sub(author, "name", "Bibblix")
    _sub(author, "uri", catalogue.absolute("/"))
    for item in L.feed_links(catalogue, self_href, kind):
        render(feed, item)
    return feed


def navigation_feed(
    catalogue: L.Catalogue, title: str, entries: list[dict], updated=None, self_href=None
):
    """entries: dicts with href, title, summary (optional), rel (default subsection), kind."""
    self_href = self_href or catalogue.url()
    feed = _feed(catalogue, self_href, title, self_href, L.ATOM_NAVIGATION, updated)
    for item in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "title", item["title"])
        _sub(entry, "id", item["href"])
        _sub(entry, "updated", _stamp(updated))
        _sub(entry, "content", item.get("summary", item["title"]), type="text")
        _link(
            entry, item["href"], item.get("rel", "subsection"), item.get("kind", L.ATOM_ACQUISITION)
        )
    return feed


def acquisition_feed(catalogue: L.Catalogue, page: Page, groups: list[FacetGroup], updated):
    here = L.listing_url(catalogue, page, page.number)
    feed = _feed(catalogue, here, page.listing.title, here, L.ATOM_ACQUISITION, updated)
    for item in L.paging_links(catalogue, page):
        render(feed, item)
    _sub(feed, "totalResults", str(page.total), ns=OPENSEARCH)
    _sub(feed, "itemsPerPage", str(PAGE_SIZE), ns=OPENSEARCH)
    _sub(feed, "startIndex", str((page.number - 1) * PAGE_SIZE + 1), ns=OPENSEARCH)
    for group in groups:
        for choice in group.links:
            href = L.listing_url(catalogue, page, 1, choice.facets)
            link = _link(feed, href, FACET_REL, L.ATOM_ACQUISITION)
            link.set("title", choice.title)
            link.set(f"{{{OPDS}}}facetGroup", group.title)
            link.set(f"{{{THREAD}}}count", str(choice.count))
            if choice.is_active:
                link.set(f"{{{OPDS}}}activeFacet", "true")
    for book in page.books:
        feed.append(entry(catalogue, book))
    return feed


def entry(catalogue: L.Catalogue, book: Book, *, standalone: bool = False):
    """A book as an Atom entry (expects contributors and themes prefetched), with the child's
    loan or hold if the catalogue has one for it."""
    nsmap = NSMAP if standalone else None
    element = etree.Element(f"{{{ATOM}}}entry", nsmap=nsmap)
    _sub(element, "title", book.title)
    _sub(element, "id", L.book_identifier(book, catalogue))
    _sub(element, "updated", _stamp(book.updated_at))
    for author in book.authors:
        _sub(_sub(element, "author"), "name", author.name)
    for role in _CONTRIBUTOR_ROLES:
        for person in book.contributors_in(role):
            _sub(_sub(element, "contributor"), "name", person.name)
    if book.language:
        _sub(element, "language", book.language, ns=DCTERMS)
    if book.publisher:
        _sub(element, "publisher", book.publisher, ns=DCTERMS)
    if book.published_year:
        _sub(element, "issued", str(book.published_year), ns=DCTERMS)
    if book.isbn:
        _sub(element, "identifier", f"urn:isbn:{book.isbn}", ns=DCTERMS)
    if book.page_count:
        _sub(element, "extent", _("%(pages)s pages") % {"pages": book.page_count}, ns=DCTERMS)
    for theme in book.themes.all():
        _sub(element, "category", term=theme.slug, label=theme_name(theme))
    if book.description:
        _sub(element, "summary", book.description, type="text")
    _entry_links(element, catalogue, book)
    return element


def _entry_links(element, catalogue: L.Catalogue, book: Book) -> None:
    if book.cover:
        href, type_ = catalogue.absolute(book.cover.url), L.cover_type(book.cover.name)
        _link(element, href, "http://opds-spec.org/image", type_)
        _link(element, href, "http://opds-spec.org/image/thumbnail", type_)
    for item in L.book_links(catalogue, book):
        render(element, item)


def render(parent, item: L.Link):
    """A link as Atom writes it. OPDS 2.0 link properties become the library extension's
    elements ("OPDS for Library Patrons": `opds:availability`, `opds:holds`, `opds:copies`)
    with the same names and attributes, except that Atom says `status` where OPDS 2.0 says
    `state`."""
    element = _link(parent, item.href, item.rel, item.type, title=item.title)
    if item.indirect:
        _sub(element, "indirectAcquisition", ns=OPDS, type=item.indirect)
    for name, values in item.properties.items():
        attributes = {("status" if key == "state" else key): str(v) for key, v in values.items()}
        etree.SubElement(element, f"{{{OPDS}}}{name}", attributes)
    return element


def opensearch_description(catalogue: L.Catalogue):
    root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
    _sub(root, "ShortName", "Bibblix", ns=OPENSEARCH)
    _sub(root, "Description", _("Search the books in Bibblix"), ns=OPENSEARCH)
    _sub(root, "InputEncoding", "UTF-8", ns=OPENSEARCH)
    _sub(root, "OutputEncoding", "UTF-8", ns=OPENSEARCH)
    template = catalogue.url("search") + "?q={searchTerms}"
    _sub(root, "Url", ns=OPENSEARCH, type=L.ATOM_ACQUISITION, template=template)
    return root
