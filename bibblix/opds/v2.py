"""OPDS 2.0 (JSON): feeds and publications as plain dicts, ready for JsonResponse.

Specification: https://drafts.opds.io/opds-2.0 ; the publication metadata is the Readium Web
Publication Manifest's. Facets mark the chosen link with rel "self", as the OPDS 2.0 examples
and Palace do."""

import re

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from bibblix.catalogue.models import Book, BookContributor

from . import links as L
from .selection import PAGE_SIZE, FacetGroup, Page, theme_name

# BCP 47 in its everyday shape (language, optional script/region); anything else is left out
# rather than published as an invalid tag.
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_ROLES = {
    BookContributor.Role.AUTHOR: "author",
    BookContributor.Role.ILLUSTRATOR: "illustrator",
    BookContributor.Role.TRANSLATOR: "translator",
    BookContributor.Role.NARRATOR: "narrator",
}


def link(href: str, rel=None, type_: str = L.OPDS2, **extra) -> dict:
    out = {"href": href, "type": type_}
    if rel:
        out["rel"] = rel
    out.update(extra)
    return out


def render(item: L.Link) -> dict:
    """A link as OPDS 2.0 writes it."""
    properties = dict(item.properties)
    if item.indirect:
        properties = {"indirectAcquisition": [{"type": item.indirect}], **properties}
    extra = {"title": item.title} if item.title else {}
    if item.templated:
        extra["templated"] = True
    if properties:
        extra["properties"] = properties
    return link(item.href, item.rel, item.type, **extra)


def feed_links(catalogue: L.Catalogue, self_href: str) -> list[dict]:
    return [render(item) for item in L.feed_links(catalogue, self_href, L.OPDS2)]


def navigation_feed(
    catalogue: L.Catalogue, title: str, entries: list[dict], self_href: str | None = None
) -> dict:
    return {
        "metadata": {"title": title},
        "links": feed_links(catalogue, self_href or catalogue.url()),
        "navigation": entries,
    }


def featured_group(catalogue: L.Catalogue, title: str, books: list[Book]) -> dict:
    """A group of publications on the start page (OPDS 2.0 "groups"), shown as a shelf."""
    return {
        "metadata": {"title": title, "numberOfItems": len(books)},
        "publications": [publication(catalogue, book) for book in books],
    }


def navigation_entry(href: str, title: str, rel: str = "subsection", count=None) -> dict:
    entry = link(href, rel, title=title)
    if count is not None:
        entry["properties"] = {"numberOfItems": count}
    return entry


def publications_feed(catalogue: L.Catalogue, page: Page, groups: list[FacetGroup]) -> dict:
    listing = page.listing
    links = feed_links(catalogue, L.listing_url(catalogue, page, page.number))
    links += [render(item) for item in L.paging_links(catalogue, page)]
    feed = {
        "metadata": {
            "title": listing.title,
            "numberOfItems": page.total,
            "itemsPerPage": PAGE_SIZE,
            "currentPage": page.number,
        },
        "links": links,
    }
    if page.books:
        feed["publications"] = [publication(catalogue, book) for book in page.books]
    else:
        # A feed must hold publications or navigation: an empty result leads back to the start.
        feed["navigation"] = [navigation_entry(catalogue.url(), _("Back to the start"), "start")]
    if groups:
        feed["facets"] = [facet_group(catalogue, page, group) for group in groups]
    return feed


def facet_group(catalogue: L.Catalogue, page: Page, group: FacetGroup) -> dict:
    links = []
    for choice in group.links:
        entry = link(L.listing_url(catalogue, page, 1, choice.facets), title=choice.title)
        entry["properties"] = {"numberOfItems": choice.count}
        if choice.is_active:
            entry["rel"] = "self"
        links.append(entry)
    return {"metadata": {"title": group.title}, "links": links}


def publication(catalogue: L.Catalogue, book: Book) -> dict:
    """A book as an OPDS 2.0 publication (expects contributors and themes prefetched), with the
    child's loan or hold if the catalogue has one for it."""
    links = [render(item) for item in L.book_links(catalogue, book)]
    out = {"metadata": metadata(catalogue, book), "links": links}
    if book.cover:
        href = catalogue.absolute(book.cover.url)
        out["images"] = [{"href": href, "type": L.cover_type(book.cover.name), "rel": "cover"}] + [
            # The smaller renditions, so an app can take a thumbnail of the size it needs.
            {
                "href": catalogue.absolute(default_storage.url(name)),
                "type": "image/jpeg",
                "width": int(width),
            }
            for width, name in sorted(book.cover_renditions.items(), key=lambda item: int(item[0]))
            if name != book.cover.name
        ]
    return out


def metadata(catalogue: L.Catalogue, book: Book) -> dict:
    meta = {
        "@type": "http://schema.org/Book",
        "identifier": L.book_identifier(book, catalogue),
        "title": book.title,
        "modified": book.updated_at.isoformat(),
    }
    if book.subtitle:
        meta["subtitle"] = book.subtitle
    if _LANGUAGE_TAG.match(book.language or ""):
        meta["language"] = book.language
    for role, key in _ROLES.items():
        names = [
            {"name": c.name, "sortAs": c.sort_name or c.name} for c in book.contributors_in(role)
        ]
        if names:
            meta[key] = names
    if book.description:
        meta["description"] = book.description
    if book.publisher:
        meta["publisher"] = book.publisher
    # The year alone is not an RFC 3339 date, and a made-up 1 January would be wrong: only
    # Atom (dcterms:issued, W3CDTF) carries the year.
    if book.page_count:
        meta["numberOfPages"] = book.page_count
    subjects = [{"name": theme_name(theme), "code": theme.slug} for theme in book.themes.all()]
    if subjects:
        meta["subject"] = subjects
    if book.series:
        series = {"name": book.series}
        if book.series_number:
            series["position"] = book.series_number
        meta["belongsTo"] = {"series": [series]}
    meta["layout"] = "fixed" if book.layout == Book.Layout.FIXED else "reflowable"
    return meta
