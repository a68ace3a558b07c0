"""Reading EPUB files safely: metadata from the OPF package document and the cover image.

Hostile files are refused before anything is stored: size limits against zip bombs, entry names
checked against path traversal, XML parsed without entities or network access, encrypted
(DRM) content refused. Errors are `EpubError` with a message fit for a librarian.
"""

import base64
import io
import posixpath
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from lxml import etree

MAX_TOTAL_UNCOMPRESSED = 300 * 1024 * 1024
MAX_ENTRY_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 10_000
# Text compresses about 3-10 times; more than 200 times for an entry above 1 MB is a bomb.
RATIO_FLOOR = 1024 * 1024
MAX_XML_BYTES = 10 * 1024 * 1024

NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "enc": "http://www.w3.org/2001/04/xmlenc#",
    "svg": "http://www.w3.org/2000/svg",
    "xlink": "http://www.w3.org/1999/xlink",
}


class EpubError(Exception):
    """The file is not an EPUB we can accept; the message says why, for a librarian."""


@dataclass
class Contributor:
    name: str
    role: str = "author"  # author, illustrator, translator, narrator
    sort_name: str = ""


@dataclass
class EpubMetadata:
    title: str
    identifier: str = ""
    isbn: str = ""
    language: str = ""
    description: str = ""
    publisher: str = ""
    published_year: int | None = None
    subtitle: str = ""
    contributors: list[Contributor] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    layout: str = "reflowable"
    has_media_overlays: bool = False
    cover_bytes: bytes | None = None
    spine_length: int = 0
    text_characters: int = 0


def _safe_parser() -> etree.XMLParser:
    # No entity expansion, no DTD loading, no network: XXE and billion-laughs are refused.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )


def parse_xml(data: bytes, what: str) -> etree._Element:
    """Parse `data` without entities, DTDs or network; refuse anything that declares them."""
    if len(data) > MAX_XML_BYTES:
        raise EpubError(_("%(what)s is too large.") % {"what": what})
    if b"<!ENTITY" in data:
        raise EpubError(
            _("%(what)s declares XML entities, which are not allowed.") % {"what": what}
        )
    try:
        root = etree.fromstring(data, parser=_safe_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise EpubError(
            _("%(what)s is not well-formed XML: %(error)s") % {"what": what, "error": exc}
        ) from exc
    # The byte check above misses other encodings (UTF-16): ask the parsed document too.
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if (dtd is not None and list(dtd.iterentities())) or docinfo.system_url:
        raise EpubError(
            _("%(what)s refers to a DTD or declares XML entities, which are not allowed.")
            % {"what": what}
        )
    return root


class SafeArchive(zipfile.ZipFile):
    """A ZipFile that counts what it really unpacks: headers can lie about sizes."""

    bytes_read = 0

    def read_limited(self, name: str, limit: int = MAX_ENTRY_UNCOMPRESSED) -> bytes:
        """Read one entry, stopping at `limit` bytes whatever the header claims."""
        try:
            with self.open(name) as handle:
                data = handle.read(limit + 1)
        except KeyError as exc:
            raise EpubError(_("The file is missing %(name)s.") % {"name": name}) from exc
        except RuntimeError as exc:  # a password-protected entry
            raise EpubError(
                _("The book is encrypted (DRM) and cannot be read in the browser.")
            ) from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise EpubError(_("The file is damaged: %(error)s") % {"error": exc}) from exc
        if len(data) > limit:
            raise EpubError(_("An entry is too large when unpacked: %(name)s") % {"name": name})
        self.bytes_read += len(data)
        if self.bytes_read > MAX_TOTAL_UNCOMPRESSED:
            raise EpubError(_("The file is too large when unpacked."))
        return data


def _is_unsafe_name(name: str) -> bool:
    parts = name.split("/")
    return (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or re.match(r"^[A-Za-z]:", name) is not None
    )


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse zip bombs, path traversal, links and duplicate names before reading any entry."""
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise EpubError(_("The file has too many entries (%(count)d).") % {"count": len(infos)})
    total, seen = 0, set()
    for info in infos:
        name = info.filename
        shown = {"name": name[:200]}
        if _is_unsafe_name(name) or stat.S_ISLNK(info.external_attr >> 16):
            raise EpubError(_("The file contains an unsafe path: %(name)s") % shown)
        if name in seen:
            raise EpubError(_("The file contains the entry %(name)s twice.") % shown)
        seen.add(name)
        if info.file_size > MAX_ENTRY_UNCOMPRESSED:
            raise EpubError(_("An entry is too large when unpacked: %(name)s") % shown)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise EpubError(
                _("An entry is compressed suspiciously hard (a zip bomb?): %(name)s") % shown
            )
        total += info.file_size
    if total > MAX_TOTAL_UNCOMPRESSED:
        raise EpubError(_("The file is too large when unpacked."))


def read_entry(archive: SafeArchive, name: str, limit: int = MAX_ENTRY_UNCOMPRESSED) -> bytes:
    """Read one entry, stopping at `limit` bytes whatever the header claims."""
    return archive.read_limited(name, limit)


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _isbn_from(identifier: str) -> str:
    from stdnum import isbn

    candidate = re.sub(r"^(urn:isbn:|isbn:?)", "", identifier.strip(), flags=re.I)
    if isbn.is_valid(candidate):
        return isbn.to_isbn13(isbn.compact(candidate))
    return ""


ROLE_CODES = {
    "aut": "author",
    "ill": "illustrator",
    "trl": "translator",
    "nrt": "narrator",
}


FONT_OBFUSCATION = {
    "http://www.idpf.org/2008/embedding",  # EPUB 3 font obfuscation (OCF 3, section 4.4)
    "http://ns.adobe.com/pdf/enc#RC",  # Adobe's older font mangling
}
DRM_FILES = ("META-INF/rights.xml", "META-INF/license.lcpl")


def _refuse_drm(archive: SafeArchive, names: set[str]) -> None:
    drm = _("The book is encrypted (DRM) and cannot be read in the browser.")
    if any(name in names for name in DRM_FILES):
        raise EpubError(drm)
    if "META-INF/encryption.xml" not in names:
        return
    encryption = parse_xml(read_entry(archive, "META-INF/encryption.xml"), "encryption.xml")
    # Font obfuscation is allowed by OCF; anything else encrypted is DRM we cannot read.
    for data in encryption.iterfind(".//enc:EncryptedData", NS):
        method = data.find("enc:EncryptionMethod", NS)
        if method is None or method.get("Algorithm", "") not in FONT_OBFUSCATION:
            raise EpubError(drm)


def read_epub(source) -> EpubMetadata:
    """Read metadata and cover from an EPUB (a path or a binary file object)."""
    try:
        archive = SafeArchive(source)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise EpubError(_("The file is not a ZIP archive, so it cannot be an EPUB.")) from exc
    with archive:
        check_archive(archive)
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = read_entry(archive, "mimetype", limit=100).strip()
            if mimetype != b"application/epub+zip":
                raise EpubError(_("The file says it is not an EPUB (mimetype)."))
        _refuse_drm(archive, names)
        if "META-INF/container.xml" not in names:
            raise EpubError(_("The file has no META-INF/container.xml, so it is not an EPUB."))
        container = parse_xml(read_entry(archive, "META-INF/container.xml"), "container.xml")
        rootfile = container.find(".//c:rootfile", NS)
        opf_path = rootfile.get("full-path") if rootfile is not None else None
        if not opf_path:
            raise EpubError(_("The container does not point to a package document (OPF)."))
        if opf_path not in names:
            raise EpubError(_("The package document %(name)s is missing.") % {"name": opf_path})
        opf = parse_xml(read_entry(archive, opf_path), "the package document (OPF)")
        if etree.QName(opf).localname != "package":
            raise EpubError(_("The package document (OPF) has no package element."))
        return _read_package(archive, opf, posixpath.dirname(opf_path))


def _read_package(archive: SafeArchive, opf: etree._Element, base: str) -> EpubMetadata:
    metadata = opf.find("opf:metadata", NS)
    if metadata is None:
        raise EpubError(_("The package document has no metadata."))
    titles = metadata.findall("dc:title", NS)
    title = _text(titles[0]) if titles else ""
    if not title:
        raise EpubError(_("The book has no title in its metadata."))
    meta = EpubMetadata(title=title[:300])
    for refines_title in metadata.findall("opf:meta[@property='title-type']", NS):
        if _text(refines_title) == "subtitle":
            ref = (refines_title.get("refines") or "").lstrip("#")
            for candidate in titles:
                if candidate.get("id") == ref:
                    meta.subtitle = _text(candidate)[:300]
    unique_id = opf.get("unique-identifier")
    for ident in metadata.findall("dc:identifier", NS):
        value = _text(ident)
        if ident.get("id") == unique_id or not meta.identifier:
            meta.identifier = value[:300]
        meta.isbn = meta.isbn or _isbn_from(value)
    meta.language = (_text(metadata.find("dc:language", NS)) or "")[:8]
    meta.description = _text(metadata.find("dc:description", NS))
    meta.publisher = _text(metadata.find("dc:publisher", NS))[:200]
    date = _text(metadata.find("dc:date", NS))
    if re.match(r"^\d{4}", date):
        meta.published_year = int(date[:4])
    meta.subjects = [_text(s) for s in metadata.findall("dc:subject", NS) if _text(s)]
    roles = {}
    for role_meta in metadata.findall("opf:meta[@property='role']", NS):
        roles[(role_meta.get("refines") or "").lstrip("#")] = _text(role_meta)
    file_as = {}
    for fa in metadata.findall("opf:meta[@property='file-as']", NS):
        file_as[(fa.get("refines") or "").lstrip("#")] = _text(fa)
    for tag, default in (("creator", "author"), ("contributor", "")):
        for person in metadata.findall(f"dc:{tag}", NS):
            code = roles.get(person.get("id") or "", "") or person.get(f"{{{NS['opf']}}}role", "")
            role = ROLE_CODES.get(code, default)
            if role:
                meta.contributors.append(
                    Contributor(_text(person)[:200], role, file_as.get(person.get("id") or "", ""))
                )
    layout = metadata.find("opf:meta[@property='rendition:layout']", NS)
    if layout is not None and _text(layout) == "pre-paginated":
        meta.layout = "fixed"
    manifest = {
        item.get("id"): item for item in opf.iterfind("opf:manifest/opf:item", NS) if item.get("id")
    }
    spine = opf.find("opf:spine", NS)
    spine_items = (
        [ref.get("idref") for ref in spine.iterfind("opf:itemref", NS)] if spine is not None else []
    )
    if not spine_items:
        raise EpubError(_("The book has no reading order (spine)."))
    meta.spine_length = len(spine_items)
    if meta.layout != "fixed" and spine is not None:
        pre_paginated = [
            r
            for r in spine.iterfind("opf:itemref", NS)
            if "rendition:layout-pre-paginated" in (r.get("properties") or "")
        ]
        # Mixed books (text pages between full-page paintings, like the Cole sample) need a
        # reader that can show fixed pages, so any pre-paginated page makes the book "fixed".
        if pre_paginated:
            meta.layout = "fixed"
    meta.has_media_overlays = any(item.get("media-overlay") for item in manifest.values())
    meta.text_characters = _count_text(
        archive, base, [manifest[i] for i in spine_items if i in manifest]
    )
    _read_cover(archive, base, metadata, manifest, meta)
    return meta


def _href(base: str, item: etree._Element) -> str:
    from urllib.parse import unquote

    return posixpath.normpath(posixpath.join(base, unquote(item.get("href", ""))))


def _count_text(archive: SafeArchive, base: str, items: list) -> int:
    total = 0
    names = set(archive.namelist())
    for item in items:
        href = _href(base, item)
        if "html" not in (item.get("media-type") or "") or href not in names:
            continue
        data = read_entry(archive, href, limit=MAX_XML_BYTES)
        text = re.sub(rb"<[^>]+>", b" ", data)
        total += len(b" ".join(text.split()))
    return total


def _read_cover(archive, base, metadata, manifest, meta: EpubMetadata) -> None:
    cover_item = next(
        (i for i in manifest.values() if "cover-image" in (i.get("properties") or "").split()), None
    )
    if cover_item is None:
        legacy = metadata.find("opf:meta[@name='cover']", NS)
        if legacy is not None:
            cover_item = manifest.get(legacy.get("content"))
    if cover_item is None or _href(base, cover_item) not in archive.namelist():
        return
    data = read_entry(archive, _href(base, cover_item), limit=20 * 1024 * 1024)
    media_type = cover_item.get("media-type", "")
    if media_type == "image/svg+xml":
        # Standard Ebooks covers are SVGs wrapping a base64 JPEG; take the embedded raster.
        svg = parse_xml(data, "the cover")
        for image in svg.iter(f"{{{NS['svg']}}}image"):
            href = image.get(f"{{{NS['xlink']}}}href") or image.get("href") or ""
            match = re.match(r"data:(image/(?:jpeg|png));base64,(.*)", href, re.S)
            if match:
                meta.cover_bytes = base64.b64decode(match.group(2))
                return
        return
    if media_type in {"image/jpeg", "image/png", "image/gif", "image/webp"}:
        meta.cover_bytes = data


def cover_renditions(data: bytes, widths=(160, 320, 640)) -> dict[int, bytes]:
    """JPEGs of the cover at each width (never enlarged); refuses images that are not images
    or that would unpack to an absurd size (a decompression bomb)."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > 60_000_000:
                raise EpubError(_("The cover image is too large."))
            image.draft("RGB", (max(widths) * 2, max(widths) * 4))
            image = image.convert("RGB")
            return {width: _jpeg(image, width) for width in widths}
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise EpubError(_("The cover image cannot be read: %(error)s") % {"error": exc}) from exc


def _jpeg(image, width: int) -> bytes:
    from PIL import Image

    if image.width > width:
        image = image.resize(
            (width, round(image.height * width / image.width)), Image.Resampling.LANCZOS
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()
