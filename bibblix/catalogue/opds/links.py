"""Where things are: absolute URLs inside one catalogue (national or one library's, v1 or v2).

Reader apps resolve relative links badly (several fail on a relative OpenSearch template), so
every link in a feed is absolute."""

from dataclasses import dataclass
from urllib.parse import urlencode

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


@dataclass
class Catalogue:
    """One catalogue as a reader app sees it: `library` is None for the national catalogue,
    which anyone may browse; a library's catalogue needs that library's card."""

    request: object
    version: str  # "v1" or "v2"
    library: object | None = None

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
        """The child's loans ("Mina lån") in a library catalogue, served by the lending app."""
        return self.url("loans")

    def manifest_url(self, book: Book) -> str:
        return self.absolute(f"/read/{book.pk}/manifest.json")

    def page_url(self, book: Book) -> str:
        return self.absolute(f"/books/{book.pk}/")


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
