"""Reading a stored EPUB for the reader: the whole file (with HTTP ranges), single entries, and
the package document (manifest, spine, table of contents) that the Readium manifest is built from.

Files are opened through Django's storage API (`Book.epub`), never through a filesystem path,
so the same code serves local files and S3. The package is read by the one EPUB package reader
(`bibblix.lib.epub_package`), the same one the catalogue imports books with.
"""

import mimetypes
import re
import zipfile

from django.core.cache import cache

from bibblix.lib.epub_package import Package, PackageError, read_package
from bibblix.lib.objects import open_ranged

MAX_ENTRY_BYTES = 100 * 1024 * 1024
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


class EntryMissing(Exception):
    """The EPUB has no such entry, or it could not be read."""


def open_zip(book) -> zipfile.ZipFile:
    """The book's EPUB as a zip archive, read through the storage API."""
    return zipfile.ZipFile(open_ranged(book.epub.storage, book.epub.name))


def _read_limited(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as handle:
        data = handle.read(MAX_ENTRY_BYTES + 1)
    if len(data) > MAX_ENTRY_BYTES:
        raise EntryMissing(name)
    return data


def read_entry(book, name: str) -> bytes:
    """One entry of the book's EPUB (size-limited)."""
    try:
        with open_zip(book) as archive:
            return _read_limited(archive, name)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise EntryMissing(name) from exc


def media_type_of(book, name: str) -> str:
    for item in package_of(book).items:
        if item.href == name:
            return item.media_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def package_of(book) -> Package:
    """The parsed package document with its table of contents, cached per stored file;
    EntryMissing when the stored file cannot be read as an EPUB."""
    key = f"reader:package:{book.pk}:{book.epub.name}:{book.updated_at.timestamp()}"
    package = cache.get(key)
    if package is None:
        try:
            with open_zip(book) as archive:
                names = set(archive.namelist())
                read = lambda name: _read_limited(archive, name)  # noqa: E731
                package = read_package(read, names, with_toc=True)
        except (PackageError, zipfile.BadZipFile, OSError, EOFError) as exc:
            # Import checked the file; one that is damaged since is not there to read.
            raise EntryMissing(book.epub.name) from exc
        cache.set(key, package, 60 * 60)
    return package


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
