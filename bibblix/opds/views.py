"""OPDS views: parse the request, pick the books (selection), write them out (v1 or v2).

Every catalogue view exists twice: in the national catalogue (/opds/v2/…, anyone may browse) and
in a library's catalogue (/opds/v2/libraries/<id>/…, the child logs in with that library's card).
"""

import json
from functools import wraps

from django.core.exceptions import BadRequest
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bibblix.catalogue import services
from bibblix.lending import services as lending
from bibblix.lib import page_cache
from bibblix.lib.inputs import xml_text_problem
from bibblix.members import services as members

from . import auth, selection, v1, v2
from . import links as L

JSON_V2 = f"{L.OPDS2}; charset=utf-8"
PUBLICATION_V2 = f"{L.OPDS2_PUBLICATION}; charset=utf-8"
ATOM_NAV = f"{L.ATOM_NAVIGATION};charset=utf-8"
ATOM_ACQ = f"{L.ATOM_ACQUISITION};charset=utf-8"
FEATURED_ON_START = 12


def _respond_privately(request, body: bytes, content_type: str) -> HttpResponse:
    """A library's feed, annotated with the child's loans: an ETag of its bytes (304 when the
    app has it already), kept a minute by the app alone. (The national feeds are public:
    `page_cache.public_feed`.)"""
    digest = page_cache.feed_digest(body)
    vary = ["Authorization", "Cookie"]
    return page_cache.feed_response(
        request, body, content_type, digest, vary, private=True, max_age=60
    )


def json_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def catalogue_view(version: str):
    """Resolve the library (if any), require its card, and hand the view a `Catalogue`."""

    def decorate(view):
        @require_safe
        @wraps(view)
        def wrapper(request, *args, library_id: int | None = None, **kwargs):
            library = patron = None
            if library_id is not None:
                library = auth.connected_library(library_id)
                if library is None:
                    raise Http404
                patron, refusal = auth.authenticate_child(request, library)
                if refusal is not None:
                    return refusal
            catalogue = L.Catalogue(request, version, library, patron)
            if library is None:
                # The national catalogue is the same for everyone: built once per content
                # version, and answered early from the cache (page_cache's middleware).
                return page_cache.public_feed(
                    request, lambda: view(request, catalogue, *args, **kwargs)
                )
            body, content_type = view(request, catalogue, *args, **kwargs)
            return _respond_privately(request, body, content_type)

        return wrapper

    return decorate


def _annotated(catalogue: L.Catalogue, books) -> list:
    """`books`, after giving the catalogue the logged-in child's loans and holds of them (a
    library's catalogue only: nationally nobody is logged in)."""
    books = list(books)
    if catalogue.library is not None:
        catalogue.states = lending.circulation(catalogue.patron, [b.pk for b in books])
    return books


def _root_entries(catalogue: L.Catalogue) -> list[tuple[str, str, str]]:
    """(path, title, rel) of the start page's links: lists first, then the theme shelves."""
    entries = [
        ("books", _("All books"), "subsection"),
        ("new", _("New books"), "http://opds-spec.org/sort/new"),
        ("free", _("Free to try"), "subsection"),
    ]
    for theme in selection.themes():
        entries.append((f"themes/{theme.slug}", selection.theme_title(theme), "subsection"))
    if catalogue.library is not None:
        # The logged-in child's loans and holds, at <library root>/loans (loan_views.py).
        entries.insert(0, ("loans", _("My loans"), L.SHELF_REL))
    return entries


MAX_QUERY = 200


def _listing(path: str, request) -> selection.Listing:
    if path == "books":
        return selection.all_books()
    if path == "new":
        return selection.new_books()
    if path == "free":
        return selection.free_books()
    if path == "search":
        key = "query" if "query" in request.GET else "q"
        query = request.GET.get(key, "").strip()
        # Refused, not cut or cleaned: a search goes into SQL and into the feed's XML.
        if len(query) > MAX_QUERY or xml_text_problem(query):
            raise BadRequest("search text too long or with control characters")
        return selection.search_books(query)
    if path.startswith("themes/"):
        return selection.theme_books(
            get_object_or_404(services.children_themes(), slug=path.removeprefix("themes/"))
        )
    raise Http404


def _page(request, listing: selection.Listing):
    facets = selection.Facets.from_query(request.GET)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = selection.page_of(listing, facets, number)
    return page, selection.facet_groups(listing, facets)


def _book_or_404(pk: int):
    book = (
        services.children_books()
        .filter(pk=pk)
        .prefetch_related("book_contributors__contributor", "themes")
        .first()
    )
    if book is None:
        raise Http404
    return book


# --- OPDS 2.0 ------------------------------------------------------------------------------


@catalogue_view("v2")
def v2_root(request, catalogue):
    entries = [
        v2.navigation_entry(catalogue.url(path), title, rel)
        for path, title, rel in _root_entries(catalogue)
    ]
    if catalogue.library is None:
        # Where a child logs in: the library choice leads to their library's catalogue.
        entries.append(v2.navigation_entry(catalogue.url("libraries/"), _("Choose library")))
    title = "Bibblix" if catalogue.library is None else f"Bibblix – {catalogue.library}"
    feed = v2.navigation_feed(catalogue, title, entries)
    featured = _annotated(catalogue, services.featured_books(FEATURED_ON_START))
    if featured:
        prefetch_related_objects(featured, "themes")
        feed["groups"] = [v2.featured_group(catalogue, _("Librarians' picks"), featured)]
    return json_bytes(feed), JSON_V2


@catalogue_view("v2")
def v2_listing(request, catalogue, path: str):
    page, groups = _page(request, _listing(path, request))
    _annotated(catalogue, page.books)
    return json_bytes(v2.publications_feed(catalogue, page, groups)), JSON_V2


@catalogue_view("v2")
def v2_book(request, catalogue, pk: int):
    [book] = _annotated(catalogue, [_book_or_404(pk)])
    return json_bytes(v2.publication(catalogue, book)), PUBLICATION_V2


@catalogue_view("v2")
def v2_libraries(request, catalogue):
    entries = []
    for library in members.connected_libraries().order_by("municipality__name", "name"):
        href = catalogue.absolute(f"/opds/v2/libraries/{library.pk}/")
        entries.append(v2.navigation_entry(href, str(library), "http://opds-spec.org/catalog"))
    if not entries:
        entries.append(v2.navigation_entry(catalogue.url(), "Bibblix", "start"))
    feed = v2.navigation_feed(catalogue, _("Choose library"), entries, catalogue.url("libraries/"))
    return json_bytes(feed), JSON_V2


# --- OPDS 1.2 ------------------------------------------------------------------------------


@catalogue_view("v1")
def v1_root(request, catalogue):
    entries = [
        {"href": catalogue.url(path), "title": title, "rel": rel}
        for path, title, rel in _root_entries(catalogue)
    ]
    if catalogue.library is None:
        entries.append(
            {
                "href": catalogue.url("libraries/"),
                "title": _("Choose library"),
                "kind": L.ATOM_NAVIGATION,
            }
        )
    title = "Bibblix" if catalogue.library is None else f"Bibblix – {catalogue.library}"
    updated = selection.last_modified(services.children_books())
    return v1.serialise(v1.navigation_feed(catalogue, title, entries, updated)), ATOM_NAV


@catalogue_view("v1")
def v1_listing(request, catalogue, path: str):
    listing = _listing(path, request)
    page, groups = _page(request, listing)
    _annotated(catalogue, page.books)
    updated = max((book.updated_at for book in page.books), default=None)
    return v1.serialise(v1.acquisition_feed(catalogue, page, groups, updated)), ATOM_ACQ


@catalogue_view("v1")
def v1_book(request, catalogue, pk: int):
    [book] = _annotated(catalogue, [_book_or_404(pk)])
    entry = v1.entry(catalogue, book, standalone=True)
    return v1.serialise(entry), f"{L.ATOM_ENTRY};charset=utf-8"


@catalogue_view("v1")
def v1_opensearch(request, catalogue):
    document = v1.opensearch_description(catalogue)
    return v1.serialise(document), f"{L.OPENSEARCH}; charset=utf-8"


@catalogue_view("v1")
def v1_libraries(request, catalogue):
    entries = [
        {
            "href": catalogue.absolute(f"/opds/v1/libraries/{library.pk}/"),
            "title": str(library),
            "rel": "http://opds-spec.org/catalog",
            "kind": L.ATOM_NAVIGATION,
        }
        for library in members.connected_libraries().order_by("municipality__name", "name")
    ]
    feed = v1.navigation_feed(
        catalogue, _("Choose library"), entries, self_href=catalogue.url("libraries/")
    )
    return v1.serialise(feed), ATOM_NAV


# --- Authentication for OPDS -----------------------------------------------------------------


@require_safe
def service_auth(request):
    return auth.document_response(auth.service_document(request))


@require_safe
def library_auth(request, library_id: int):
    library = auth.connected_library(library_id)
    if library is None:
        raise Http404
    return auth.document_response(auth.library_document(request, library))
