"""What the OPDS lending tests do as a reading app: the endpoints' addresses and the links of
the documents they answer."""

from lxml import etree

BORROW = "http://opds-spec.org/acquisition/borrow"
ACQUISITION = "http://opds-spec.org/acquisition"
REVOKE = "http://librarysimplified.org/terms/rel/revoke"
SHELF = "http://opds-spec.org/shelf"
ATOM = "{http://www.w3.org/2005/Atom}"
OPDS = "{http://opds-spec.org/2010/catalog}"


def book_action(library, book, action: str, version: str = "v2") -> str:
    """The borrow or revoke endpoint of a book in a library's catalogue."""
    return f"/opds/{version}/libraries/{library.pk}/books/{book.pk}/{action}"


def shelf_url(library, version: str = "v2") -> str:
    return f"/opds/{version}/libraries/{library.pk}/loans"


def rels(document: dict) -> dict[str, dict]:
    """An OPDS 2.0 publication's links by rel (each rel once)."""
    return {link.get("rel"): link for link in document["links"]}


def atom_rels(entry) -> dict[str, etree._Element]:
    """An Atom entry's links by rel (each rel once)."""
    return {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
