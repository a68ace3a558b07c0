"""Where things are: absolute URLs inside one catalogue (national or one library's, v1 or v2),
and the links a feed and a book carry, once for both versions (`v1` and `v2` only write them).

Reader apps resolve relative links badly (several fail on a relative OpenSearch template), so
every link in a feed is absolute."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from bibblix.catalogue.models import Book

OPDS2 = "application/opds+json"
OPDS2_PUBLICATION = "application/opds-publication+json"
AUTH_DOCUMENT = "application/opds-authentication+json"
WEBPUB = "application/webpub+json"
ATOM_NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ATOM_ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
ATOM_ENTRY = "application/atom+xml;type=entry;profile=opds-catalog"
OPENSEARCH = "application/opensearchdescription+xml"
AUTH_DOCUMENT_REL = "http://opds-spec.org/auth/document"
BORROW_REL = "http://opds-spec.org/acquisition/borrow"
ACQUISITION_REL = "http://opds-spec.org/acquisition"
OPEN_ACCESS_REL = "http://opds-spec.org/acquisition/open-access"
SHELF_REL = "http://opds-spec.org/shelf"
# The Library Simplified (Palace) relation for "give it back": return a loan or leave a queue.
REVOKE_REL = "http://librarysimplified.org/terms/rel/revoke"


@dataclass
class Catalogue:
    """One catalogue as a reader app sees it: `library` is None for the national catalogue,
    which anyone may browse; a library's catalogue needs that library's card."""

    request: object
    version: str  # "v1" or "v2"
    library: object | None = None
    patron: object | None = None  # the child logged in to a library's catalogue
    # The logged-in child's loans and holds by book id (lending's `Circulation`), shown on each
    # publication of a library's catalogue; empty nationally and for anyone else.
    states: dict = field(default_factory=dict)

    def state_of(self, book: Book):
        return self.states.get(book.pk)

    @property
    def base(self) -> str:
        if self.library is None:
            return f"/opds/{self.version}/"
        return f"/opds/{self.version}/libraries/{self.library.pk}/"

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def url(self, path: str = "", query: dict | None = None) -> str:
        href = self.absolute(self.base + path)
        return f"{href}?{urlencode(query)}" if query else href

    def book_url(self, book: Book) -> str:
        return self.url(f"books/{book.pk}")

    def auth_document_url(self) -> str | None:
        if self.library is None:
            return self.absolute("/opds/auth")
        return self.absolute(f"/opds/libraries/{self.library.pk}/auth")

    def borrow_url(self, book: Book) -> str:
        """Inside a library: the lending app's borrow endpoint for reading apps (HTTP Basic,
        answers with the borrowed publication). Nationally nobody is logged in, so the link
        leads to the choice of library, whose catalogue can lend."""
        if self.library is None:
            return self.absolute(f"/opds/{self.version}/libraries/")
        return self.url(f"books/{book.pk}/borrow")

    @property
    def borrow_type(self) -> str:
        """What the borrow link answers: the borrowed publication (OPDS 2.0) or entry (Atom);
        nationally the library choice."""
        if self.library is None:
            return OPDS2 if self.version == "v2" else ATOM_NAVIGATION
        return OPDS2_PUBLICATION if self.version == "v2" else ATOM_ENTRY

    def shelf_url(self) -> str:
        """The child's loans ("Mina lån") in a library catalogue."""
        return self.url("loans")

    def revoke_url(self, book: Book) -> str:
        return self.url(f"books/{book.pk}/revoke")

    @property
    def entry_type(self) -> str:
        """One book on its own: an OPDS 2.0 publication or a complete Atom entry."""
        return OPDS2_PUBLICATION if self.version == "v2" else ATOM_ENTRY

    @property
    def start_type(self) -> str:
        return OPDS2 if self.version == "v2" else ATOM_NAVIGATION

    @property
    def list_type(self) -> str:
        """A list of books (and the shelf)."""
        return OPDS2 if self.version == "v2" else ATOM_ACQUISITION

    def manifest_url(self, book: Book) -> str:
        return self.absolute(f"/read/{book.pk}/manifest.json")

    def page_url(self, book: Book) -> str:
        return self.absolute(f"/books/{book.pk}/")


@dataclass
class Link:
    """A link as both versions write it. `properties` are OPDS 2.0 link properties (Atom writes
    them as elements of the library extension); `indirect` is the indirect acquisition type."""

    href: str
    rel: str
    type: str
    title: str = ""
    properties: dict = field(default_factory=dict)
    indirect: str = ""
    templated: bool = False


def feed_links(catalogue: Catalogue, self_href: str, self_type: str) -> list[Link]:
    """The links every feed carries: self, start, search and, for a library, its auth document
    and the child's loans (the shelf)."""
    if catalogue.version == "v2":
        search = Link(catalogue.url("search") + "{?query}", "search", OPDS2, templated=True)
    else:
        search = Link(catalogue.url("opensearch.xml"), "search", OPENSEARCH)
    links = [
        Link(self_href, "self", self_type),
        Link(catalogue.url(), "start", catalogue.start_type, title="Bibblix"),
        search,
    ]
    if catalogue.library is not None:
        links.append(Link(catalogue.auth_document_url(), AUTH_DOCUMENT_REL, AUTH_DOCUMENT))
        links.append(
            Link(catalogue.shelf_url(), SHELF_REL, catalogue.list_type, title=_("My loans"))
        )
    return links


def listing_url(catalogue: Catalogue, page, number: int, facets=None) -> str:
    """Page `number` of a listing with `facets` (the page's own by default) and its search;
    OPDS 2.0 searches with `query` (the template), OpenSearch with `q`."""
    query = (page.facets if facets is None else facets).as_query()
    if page.listing.query:
        query["query" if catalogue.version == "v2" else "q"] = page.listing.query
    if number > 1:
        query["page"] = str(number)
    return catalogue.url(page.listing.path, query)


def paging_links(catalogue: Catalogue, page) -> list[Link]:
    """first, previous, next and last of a listing's page."""
    numbers = [("first", 1)]
    if page.number > 1:
        numbers.append(("previous", page.number - 1))
    if page.number < page.last:
        numbers.append(("next", page.number + 1))
    numbers.append(("last", page.last))
    kind = catalogue.list_type
    return [Link(listing_url(catalogue, page, number), rel, kind) for rel, number in numbers]


def book_links(catalogue: Catalogue, book: Book) -> list[Link]:
    """A book's own link, its page, and how to get it: open access to the Web Publication
    Manifest for a free-to-try book, else the borrow link and the manifest (readable once
    borrowed). With the child's loan or hold (`catalogue.state_of`) both acquisition links carry
    it (Palace apps read the borrow link's, others the manifest's), a loan drops the borrow link,
    and a revoke link gives it back. A queued book keeps its borrow link: it answers the loan
    once the queue has lent the child a copy, else the hold."""
    state = catalogue.state_of(book)
    own = "self" if catalogue.version == "v2" else "alternate"
    links = [
        Link(catalogue.book_url(book), own, catalogue.entry_type),
        Link(catalogue.page_url(book), "alternate", "text/html"),
    ]
    properties = state_properties(state)
    if book.is_free_to_try:
        links.append(Link(catalogue.manifest_url(book), OPEN_ACCESS_REL, WEBPUB))
    else:
        if state is None or not state.gives_access:
            borrow = catalogue.borrow_url(book)
            links.append(
                Link(
                    borrow,
                    BORROW_REL,
                    catalogue.borrow_type,
                    properties=properties,
                    indirect=WEBPUB,
                )
            )
        links.append(
            Link(catalogue.manifest_url(book), ACQUISITION_REL, WEBPUB, properties=properties)
        )
    if state is not None:
        links.append(Link(catalogue.revoke_url(book), REVOKE_REL, catalogue.borrow_type))
    return links


def state_properties(state) -> dict:
    """A child's loan or hold in the names of the OPDS 2.0 link properties schema."""
    if state is None:
        return {}
    if state.gives_access:
        availability = {"state": "available", "since": state.since.isoformat()}
        return {"availability": availability | {"until": state.until.isoformat()}}
    return {
        "availability": {"state": "reserved", "since": state.since.isoformat()},
        "holds": {"total": state.waiting, "position": state.position},
        "copies": {"total": state.copies, "available": state.free},
    }


def book_identifier(book: Book, catalogue: Catalogue) -> str:
    """A URI naming the book: its ISBN as a URN, else its EPUB identifier if that is a URI,
    else the book page."""
    if book.isbn:
        return f"urn:isbn:{book.isbn}"
    if ":" in book.identifier and " " not in book.identifier:
        return book.identifier
    return catalogue.page_url(book)


def cover_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif"}.get(
        extension, "image/jpeg" if extension not in {"webp", "avif"} else f"image/{extension}"
    )
