"""The one EPUB package reader: META-INF/container.xml → the package document (OPF) → its
metadata, manifest, spine and (on request) the navigation document's table of contents.

Catalogue import and the reader both read books through this; it knows nothing about storage or
archives: callers pass `read(name) -> bytes` (with their own size limits) and the names in the
archive. XML goes through the one guard (`bibblix.lib.xml`). Structural problems raise
`PackageError` with a `reason` the caller words for its audience; XML the guard refuses raises
`PackageError` with reason "xml", the `XMLRefused` as its cause and the entry it came from.
Specification: EPUB 3.3, sections 3.5 (OCF container) and 5 (package document).
"""

import posixpath
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import unquote

from lxml import etree

from . import xml

CONTAINER = "META-INF/container.xml"
NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


class PackageError(Exception):
    """The package cannot be read. `reason`: "no_container", "no_rootfile", "missing_package",
    "not_package", "no_metadata" or "xml" (then `entry` names the file and `refused` is the
    guard's XMLRefused)."""

    def __init__(self, reason: str, entry: str = "", refused: xml.XMLRefused | None = None):
        super().__init__(f"{reason}: {entry}" if entry else reason)
        self.reason, self.entry, self.refused = reason, entry, refused


@dataclass
class Item:
    """A manifest item; `href` is its full path inside the archive."""

    href: str
    media_type: str
    id: str = ""
    properties: list[str] = field(default_factory=list)
    spine_properties: list[str] = field(default_factory=list)
    media_overlay: str = ""


@dataclass
class Person:
    """A dc:creator or dc:contributor with its MARC relator code (EPUB 3 `role` refinement or
    EPUB 2 `opf:role`) and its `file-as` sort name."""

    name: str
    role: str = ""
    file_as: str = ""
    # Every relator code in the file's order: one person can be both author and illustrator
    # (Standard Ebooks' Kipling, *Just So Stories*, has `aut` then `ill`); `role` is the first.
    roles: tuple[str, ...] = field(default=(), compare=False)


@dataclass
class Package:
    path: str  # the OPF's path inside the archive
    title: str = ""
    subtitle: str = ""
    # Further dc:title elements that are not the subtitle (an original or translated title).
    other_titles: list[str] = field(default_factory=list)
    identifier: str = ""  # the unique identifier, else the first
    identifiers: list[str] = field(default_factory=list)
    language: str = ""
    description: str = ""
    publisher: str = ""
    date: str = ""
    modified: str = ""
    subjects: list[str] = field(default_factory=list)
    creators: list[Person] = field(default_factory=list)
    contributors: list[Person] = field(default_factory=list)
    layout: str = "reflowable"  # the package's rendition:layout ("fixed" for pre-paginated)
    direction: str = ""
    items: list[Item] = field(default_factory=list)
    spine: list[Item] = field(default_factory=list)
    spine_length: int = 0  # itemrefs in the spine, also those naming no manifest item
    cover: Item | None = None
    toc: list[dict] = field(default_factory=list)

    @property
    def authors(self) -> list[str]:
        return [person.name for person in self.creators]


def read_package(
    read: Callable[[str], bytes], names: Collection[str], *, with_toc: bool = False
) -> Package:
    """The package of the EPUB whose entries `read` returns; `names` are the archive's entries."""
    if CONTAINER not in names:
        raise PackageError("no_container", CONTAINER)
    rootfile = _parse(read, CONTAINER).find(".//c:rootfile", NS)
    opf_path = rootfile.get("full-path") if rootfile is not None else None
    if not opf_path:
        raise PackageError("no_rootfile", CONTAINER)
    if opf_path not in names:
        raise PackageError("missing_package", opf_path)
    opf = _parse(read, opf_path)
    if etree.QName(opf).localname != "package":
        raise PackageError("not_package", opf_path)
    metadata = opf.find("opf:metadata", NS)
    if metadata is None:
        raise PackageError("no_metadata", opf_path)
    package = Package(path=opf_path)
    _read_metadata(package, opf, metadata)
    _read_manifest_and_spine(package, opf, metadata, posixpath.dirname(opf_path))
    if with_toc:
        package.toc = _toc(read, names, package)
    return package


def _parse(read: Callable[[str], bytes], name: str):
    try:
        return xml.parse(read(name))
    except xml.XMLRefused as refused:
        raise PackageError("xml", name, refused) from refused


def text(element) -> str:
    """An element's text with whitespace collapsed ("" for None)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _refinements(metadata, prop: str) -> dict[str, str]:
    """EPUB 3 `<meta refines="#id" property="…">` values by the id they refine."""
    return {
        (meta.get("refines") or "").lstrip("#"): text(meta)
        for meta in metadata.findall(f"opf:meta[@property='{prop}']", NS)
    }


def _all_refinements(metadata, prop: str) -> dict[str, list[str]]:
    """Like `_refinements`, keeping every value when one id is refined more than once."""
    values: dict[str, list[str]] = {}
    for meta in metadata.findall(f"opf:meta[@property='{prop}']", NS):
        values.setdefault((meta.get("refines") or "").lstrip("#"), []).append(text(meta))
    return values


def _read_metadata(package: Package, opf, metadata) -> None:
    titles = metadata.findall("dc:title", NS)
    package.title = text(titles[0]) if titles else ""
    title_types = _refinements(metadata, "title-type")
    package.subtitle = next(
        (text(t) for t in titles if t.get("id") and title_types.get(t.get("id")) == "subtitle"),
        "",
    )
    package.other_titles = [
        text(t)
        for t in titles[1:]
        if text(t) and title_types.get(t.get("id") or "") not in {"subtitle", "main", "collection"}
    ]
    unique = opf.get("unique-identifier")
    for ident in metadata.findall("dc:identifier", NS):
        value = text(ident)
        package.identifiers.append(value)
        if ident.get("id") == unique or not package.identifier:
            package.identifier = value
    package.language = text(metadata.find("dc:language", NS))
    package.description = text(metadata.find("dc:description", NS))
    package.publisher = text(metadata.find("dc:publisher", NS))
    package.date = text(metadata.find("dc:date", NS))
    package.modified = text(metadata.find("opf:meta[@property='dcterms:modified']", NS))
    package.subjects = [text(s) for s in metadata.findall("dc:subject", NS) if text(s)]
    roles, file_as = _all_refinements(metadata, "role"), _refinements(metadata, "file-as")
    for tag, people in (("creator", package.creators), ("contributor", package.contributors)):
        for person in metadata.findall(f"dc:{tag}", NS):
            key = person.get("id") or ""
            codes = tuple(roles.get(key, []) if key else ()) or tuple(
                filter(None, [person.get(f"{{{NS['opf']}}}role", "")])
            )
            if text(person):
                first = codes[0] if codes else ""
                people.append(Person(text(person), first, file_as.get(key, ""), codes))
    layout = metadata.find("opf:meta[@property='rendition:layout']", NS)
    if layout is not None and text(layout) == "pre-paginated":
        package.layout = "fixed"


def resolve(base: str, href: str) -> str:
    """A relative href (without its fragment) as a full path inside the archive."""
    return posixpath.normpath(posixpath.join(base, unquote(href.split("#")[0])))


def _read_manifest_and_spine(package: Package, opf, metadata, base: str) -> None:
    by_id = {}
    for node in opf.iterfind("opf:manifest/opf:item", NS):
        item = Item(
            href=resolve(base, node.get("href", "")),
            media_type=node.get("media-type", "application/octet-stream"),
            id=node.get("id") or "",
            properties=(node.get("properties") or "").split(),
            media_overlay=node.get("media-overlay") or "",
        )
        if item.id:
            by_id[item.id] = item
        package.items.append(item)
    spine = opf.find("opf:spine", NS)
    refs = list(spine.iterfind("opf:itemref", NS)) if spine is not None else []
    package.direction = spine.get("page-progression-direction", "") if spine is not None else ""
    package.spine_length = len(refs)
    for ref in refs:
        item = by_id.get(ref.get("idref"))
        if item is not None:
            item.spine_properties = (ref.get("properties") or "").split()
            package.spine.append(item)
    package.cover = next((i for i in package.items if "cover-image" in i.properties), None)
    if package.cover is None:
        # EPUB 2: <meta name="cover" content="<manifest id>"/>.
        legacy = metadata.find("opf:meta[@name='cover']", NS)
        if legacy is not None:
            package.cover = by_id.get(legacy.get("content"))


def _toc(read: Callable[[str], bytes], names: Collection[str], package: Package) -> list[dict]:
    """The navigation document's table of contents; a broken or missing one is no toc at all."""
    nav = next((i for i in package.items if "nav" in i.properties), None)
    if nav is None or nav.href not in names:
        return []
    try:
        document = xml.parse(read(nav.href))
    except (xml.XMLRefused, KeyError, OSError):
        return []
    toc = document.find(".//x:nav[@epub:type='toc']", NS)
    if toc is None:
        toc = document.find(".//x:nav", NS)
    ol = toc.find("x:ol", NS) if toc is not None else None
    return _toc_list(ol, posixpath.dirname(nav.href)) if ol is not None else []


def _toc_list(ol, base: str) -> list[dict]:
    entries = []
    for li in ol.findall("x:li", NS):
        link = li.find("x:a", NS)
        if link is None or not link.get("href"):
            continue
        href = link.get("href")
        fragment = "#" + href.split("#", 1)[1] if "#" in href else ""
        entry = {"href": resolve(base, href) + fragment, "title": text(link)}
        children = li.find("x:ol", NS)
        if children is not None:
            entry["children"] = _toc_list(children, base)
        entries.append(entry)
    return entries
