"""Reading a stored EPUB for the reader: the whole file (with HTTP ranges), single entries, and
the package document (manifest, spine, table of contents) that the Readium manifest is built from.

Files are opened through Django's storage API (`Book.epub`), never through a filesystem path,
so the same code serves local files and S3. XML is parsed without entities or network access.
"""

import mimetypes
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote

from django.core.cache import cache
from lxml import etree

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
MAX_ENTRY_BYTES = 100 * 1024 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class EntryMissing(Exception):
    """The EPUB has no such entry, or it could not be read."""


@dataclass
class Item:
    href: str  # full path inside the zip
    media_type: str
    properties: list[str] = field(default_factory=list)
    spine_properties: list[str] = field(default_factory=list)


@dataclass
class Package:
    title: str = ""
    identifier: str = ""
    language: str = ""
    modified: str = ""
    authors: list[str] = field(default_factory=list)
    layout: str = "reflowable"
    direction: str = ""
    items: list[Item] = field(default_factory=list)
    spine: list[Item] = field(default_factory=list)
    toc: list[dict] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _xml(data: bytes) -> etree._Element:
    if b"<!ENTITY" in data:
        raise EntryMissing("XML entities are not allowed")
    return etree.fromstring(data, parser=_parser())


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def open_zip(book) -> zipfile.ZipFile:
    """The book's EPUB as a zip archive, read through the storage API."""
    return zipfile.ZipFile(book.epub.open("rb"))


def read_entry(book, name: str) -> bytes:
    """One entry of the book's EPUB (size-limited)."""
    try:
        with open_zip(book) as archive, archive.open(name) as handle:
            data = handle.read(MAX_ENTRY_BYTES + 1)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise EntryMissing(name) from exc
    if len(data) > MAX_ENTRY_BYTES:
        raise EntryMissing(name)
    return data


def media_type_of(book, name: str) -> str:
    for item in package_of(book).items:
        if item.href == name:
            return item.media_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def package_of(book) -> Package:
    """The parsed package document, cached per stored file."""
    key = f"reader:package:{book.pk}:{book.epub.name}:{book.updated_at.timestamp()}"
    package = cache.get(key)
    if package is None:
        package = _read_package(book)
        cache.set(key, package, 60 * 60)
    return package


def _read_package(book) -> Package:
    with open_zip(book) as archive:
        container = _xml(archive.read("META-INF/container.xml"))
        rootfile = container.find(".//c:rootfile", NS)
        opf_path = rootfile.get("full-path")
        opf = _xml(archive.read(opf_path))
        base = posixpath.dirname(opf_path)
        package = _package_from(opf, base)
        nav = next((i for i in package.items if "nav" in i.properties), None)
        if nav is not None:
            try:
                package.toc = _toc_from(_xml(archive.read(nav.href)), posixpath.dirname(nav.href))
            except (KeyError, etree.XMLSyntaxError, EntryMissing):
                package.toc = []
    return package


def _resolve(base: str, href: str) -> str:
    return posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))


def _package_from(opf: etree._Element, base: str) -> Package:
    metadata = opf.find("opf:metadata", NS)
    package = Package(
        title=_text(metadata.find("dc:title", NS)),
        language=_text(metadata.find("dc:language", NS)),
        modified=_text(metadata.find("opf:meta[@property='dcterms:modified']", NS)),
        authors=[_text(c) for c in metadata.findall("dc:creator", NS) if _text(c)],
    )
    unique = opf.get("unique-identifier")
    for ident in metadata.findall("dc:identifier", NS):
        if ident.get("id") == unique or not package.identifier:
            package.identifier = _text(ident)
    layout = metadata.find("opf:meta[@property='rendition:layout']", NS)
    if layout is not None and _text(layout) == "pre-paginated":
        package.layout = "fixed"
    by_id = {}
    for node in opf.iterfind("opf:manifest/opf:item", NS):
        item = Item(
            href=_resolve(base, node.get("href", "")),
            media_type=node.get("media-type", "application/octet-stream"),
            properties=(node.get("properties") or "").split(),
        )
        by_id[node.get("id")] = item
        package.items.append(item)
    spine = opf.find("opf:spine", NS)
    package.direction = spine.get("page-progression-direction", "") if spine is not None else ""
    for ref in spine.iterfind("opf:itemref", NS) if spine is not None else []:
        item = by_id.get(ref.get("idref"))
        if item is not None:
            item.spine_properties = (ref.get("properties") or "").split()
            package.spine.append(item)
    return package


def _toc_from(nav: etree._Element, base: str) -> list[dict]:
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    if toc is None:
        toc = nav.find(".//x:nav", NS)
    ol = toc.find("x:ol", NS) if toc is not None else None
    return _toc_list(ol, base) if ol is not None else []


def _toc_list(ol, base: str) -> list[dict]:
    entries = []
    for li in ol.findall("x:li", NS):
        link = li.find("x:a", NS)
        if link is None or not link.get("href"):
            continue
        href = link.get("href")
        fragment = "#" + href.split("#", 1)[1] if "#" in href else ""
        entry = {"href": _resolve(base, href) + fragment, "title": _text(link)}
        children = li.find("x:ol", NS)
        if children is not None:
            entry["children"] = _toc_list(children, base)
        entries.append(entry)
    return entries


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The (start, end) byte positions of a single `Range: bytes=` header, end inclusive.
    None when there is no usable range; ValueError when it cannot be satisfied."""
    match = RANGE_RE.match(header.strip()) if header else None
    if not match or (not match[1] and not match[2]):
        return None
    if match[1]:
        start = int(match[1])
        end = min(int(match[2]), size - 1) if match[2] else size - 1
    else:  # a suffix range: the last N bytes
        start, end = max(size - int(match[2]), 0), size - 1
    if start > end or start >= size:
        raise ValueError("unsatisfiable range")
    return start, end


def iter_file(handle, start: int, length: int, chunk: int = 256 * 1024):
    """Yield `length` bytes of `handle` from `start`, then close it."""
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()
