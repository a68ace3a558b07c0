"""The one way Bibblix reads XML that comes from outside (EPUB packages, ONIX feeds, and later
UBL invoices, SIE and bank files): lxml with one hardened parser.

The parser loads no DTD, resolves no entities, never touches the network and keeps lxml's limits
on huge documents; input over a size limit is refused before parsing. A document that declares
entities or a DTD of its own (an internal subset: billion laughs, external entities) is refused
even though nothing in it would be expanded, so a file that relies on them is never read half
right. Everything refused raises `XMLRefused`, whose `reason` callers turn into their own words.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from lxml import etree

MAX_BYTES = 10 * 1024 * 1024
# `<!DOCTYPE name [ ... ]>`: a DTD written inside the document.
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[")

# The hardened options, shared by `parse` and `iterparse` (lxml takes the same keywords).
_OPTIONS = {
    "resolve_entities": False,
    "load_dtd": False,
    "dtd_validation": False,
    "attribute_defaults": False,
    "no_network": True,
    "huge_tree": False,
}


class XMLRefused(ValueError):
    """Input the guard will not read. `reason` is one of "too_large", "entities", "dtd" and
    "not_xml"; the message is for logs, callers show their own."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def parser() -> etree.XMLParser:
    """A new hardened parser (lxml parsers are not thread-safe, so one per use)."""
    return etree.XMLParser(**_OPTIONS)


def parse(data: bytes, *, max_bytes: int = MAX_BYTES, allow_dtd_reference: bool = False):
    """The root element of `data`, or XMLRefused. `allow_dtd_reference` lets a document name an
    external DTD (never loaded), as ONIX 2.1-style headers do; an internal subset never passes."""
    if not isinstance(data, bytes):
        raise XMLRefused("not_xml", "XML must be given as bytes")
    if len(data) > max_bytes:
        raise XMLRefused("too_large", f"XML larger than {max_bytes} bytes")
    _check_bytes(data)
    try:
        root = etree.fromstring(data, parser=parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XMLRefused("not_xml", f"not well-formed XML: {exc}") from exc
    if root is None:
        raise XMLRefused("not_xml", "no root element")
    _check_doctype(root.getroottree().docinfo, allow_dtd_reference)
    return root


def _check_bytes(head: bytes) -> None:
    if b"<!ENTITY" in head:
        raise XMLRefused("entities", "XML declares entities")
    if _INTERNAL_SUBSET.search(head):
        raise XMLRefused("dtd", "XML declares a DTD")


def _check_doctype(docinfo, allow_dtd_reference: bool) -> None:
    # The byte checks miss other encodings (UTF-16): ask the parsed document too.
    dtd = docinfo.internalDTD
    if dtd is not None and list(dtd.iterentities()):
        raise XMLRefused("entities", "XML declares entities")
    if dtd is not None and list(dtd.iterelements()):
        raise XMLRefused("dtd", "XML declares a DTD")
    if docinfo.system_url and not allow_dtd_reference:
        raise XMLRefused("dtd", "XML refers to an external DTD")


class _Counted:
    """A file wrapper that refuses to read past `limit` bytes, whatever a header said."""

    def __init__(self, handle: BinaryIO, limit: int):
        self.handle, self.limit, self.seen = handle, limit, 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        if not self.seen:
            # The doctype comes first: the same byte checks as `parse`, on the first chunk.
            _check_bytes(data)
        self.seen += len(data)
        if self.seen > self.limit:
            raise XMLRefused("too_large", f"XML larger than {self.limit} bytes")
        return data


class _Nothing:
    """A parser target that builds nothing: lxml then calls no Python per element."""

    def close(self) -> None:
        return None


def check(source: BinaryIO | str | Path, *, max_bytes: int = MAX_BYTES) -> None:
    """Read a whole document through the hardened parser without building it: XMLRefused unless
    it is well-formed and within `max_bytes`. Cheap, so a stream can be checked whole before its
    first record is used (`iterparse` then checks the doctype before its first event)."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            return check(handle, max_bytes=max_bytes)
    parser = etree.XMLParser(target=_Nothing(), **_OPTIONS)
    counted = _Counted(source, max_bytes)
    try:
        while chunk := counted.read(64 * 1024):
            parser.feed(chunk)
        parser.close()
    except etree.XMLSyntaxError as exc:
        raise XMLRefused("not_xml", f"not well-formed XML: {exc}") from exc
    return None


def iterparse(
    source: BinaryIO | str | Path,
    *,
    tag: str | list[str] | None = None,
    max_bytes: int = MAX_BYTES,
    allow_dtd_reference: bool = False,
) -> Iterator[tuple[str, etree._Element]]:
    """("start" | "end", element) events of a document read as a stream through the same
    hardened parser (only of elements named `tag`, lxml's filter, e.g. "{*}Product"): memory
    stays small if the caller clears what it has used. The doctype is checked before the first
    event; XMLRefused may come at any event."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            yield from iterparse(
                handle, tag=tag, max_bytes=max_bytes, allow_dtd_reference=allow_dtd_reference
            )
        return
    counted = _Counted(source, max_bytes)
    events = etree.iterparse(counted, events=("start", "end"), tag=tag, **_OPTIONS)
    checked = False
    try:
        for event, element in events:
            if not checked:
                _check_doctype(element.getroottree().docinfo, allow_dtd_reference)
                checked = True
            yield event, element
    except etree.XMLSyntaxError as exc:
        raise XMLRefused("not_xml", f"not well-formed XML: {exc}") from exc
    if not checked and tag is None:
        raise XMLRefused("not_xml", "no root element")
