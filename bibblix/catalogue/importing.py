"""Importing books: one EPUB at a time, all or nothing.

Everything is read and checked (catalogue.epub) before a byte is stored. Files are stored under
names made from the content's hash, so re-importing the same file stores nothing new; when the
database step fails, files this import created are removed again, so nothing is half-imported.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from bibblix.audit.models import AuditEntry
from bibblix.audit.services import record_change
from bibblix.lib.languages import normalise_language

from .epub import EpubError, EpubMetadata, cover_renditions, read_epub
from .models import COVER_WIDTHS, Book, BookContributor, Contributor, join_titles, split_titles

# Roughly what a child reads: 250 words a minute of about 6 characters each.
CHARACTERS_PER_MINUTE = 1500
CHARACTERS_PER_PAGE = 1800
MAX_EPUB_BYTES = 200 * 1024 * 1024


@dataclass
class _Stored:
    """Files saved by one import, to remove if the database step fails."""

    names: list[str] = field(default_factory=list)

    def save(self, name: str, data: bytes) -> str:
        if default_storage.exists(name):
            return name
        saved = default_storage.save(name, ContentFile(data))
        self.names.append(saved)
        return saved

    def remove(self) -> None:
        for name in self.names:
            default_storage.delete(name)


def _find_existing(meta: EpubMetadata) -> Book | None:
    if meta.isbn:
        book = Book.objects.filter(isbn=meta.isbn).first()
        if book:
            return book
    if meta.identifier:
        return Book.objects.filter(identifier=meta.identifier).first()
    return None


def _apply_metadata(book: Book, meta: EpubMetadata) -> None:
    book.title = meta.title
    book.subtitle = meta.subtitle
    # The librarians' other titles stay; the file's are added.
    book.alternative_titles = join_titles(
        split_titles(book.alternative_titles), [t for t in meta.other_titles if t != meta.title]
    )
    book.description = book.description or meta.description
    book.language = normalise_language(meta.language)
    book.publisher = meta.publisher or book.publisher
    book.published_year = meta.published_year
    book.isbn = meta.isbn or book.isbn
    book.identifier = meta.identifier
    book.layout = meta.layout
    book.has_media_overlays = meta.has_media_overlays
    if meta.subjects and not book.subjects:
        book.subjects = [{"scheme": "epub", "heading": subject} for subject in meta.subjects]
    if meta.text_characters:
        book.reading_minutes = max(1, meta.text_characters // CHARACTERS_PER_MINUTE)
        book.page_count = max(1, meta.text_characters // CHARACTERS_PER_PAGE)
    elif meta.layout == "fixed":
        book.page_count = meta.spine_length


def _set_contributors(book: Book, meta: EpubMetadata) -> None:
    book.book_contributors.all().delete()
    rows = []
    for position, person in enumerate(meta.contributors):
        contributor, _ = Contributor.objects.get_or_create(
            name=person.name, defaults={"sort_name": person.sort_name or person.name}
        )
        rows.append(
            BookContributor(book=book, contributor=contributor, role=person.role, position=position)
        )
    # One insert, without the per-row signal that refreshes the search text: the import saves
    # the book's search text itself once its contributors are in.
    BookContributor.objects.bulk_create(rows)


def _set_cover(book: Book, covers: dict[int, bytes], digest: str, stored: _Stored) -> None:
    book.cover_renditions = {
        str(width): stored.save(f"covers/{digest}-{width}.jpg", jpeg)
        for width, jpeg in covers.items()
    }
    book.cover.name = book.cover_renditions[str(max(covers))]


def replace_cover(book: Book, data: bytes, user=None) -> None:
    """Give `book` a new cover from uploaded image bytes, in every size; raises EpubError
    (storing nothing) when the image cannot be read."""
    covers = cover_renditions(data, COVER_WIDTHS)
    stored = _Stored()
    try:
        with transaction.atomic():
            _set_cover(book, covers, hashlib.sha256(data).hexdigest()[:16], stored)
            book.save(update_fields=["cover", "cover_renditions", "updated_at"])
            record_change(user, AuditEntry.Action.CHANGED, book, {"cover": ["", book.cover.name]})
    except BaseException:
        stored.remove()
        raise


@dataclass
class PreparedEpub:
    """An EPUB read, checked and with its covers made: all the work that needs no database
    (so several processes can do it side by side, catalogue.management.commands.import_books)."""

    path: Path
    data: bytes
    meta: EpubMetadata
    covers: dict[int, bytes]
    digest: str


def prepare_epub(path: str | Path) -> PreparedEpub:
    """Read and check one EPUB and make its covers; raises EpubError. Touches no database."""
    path = Path(path)
    if path.stat().st_size > MAX_EPUB_BYTES:
        raise EpubError(_("The file is larger than 200 MB."))
    data = path.read_bytes()
    meta = read_epub(path)
    covers = cover_renditions(meta.cover_bytes, COVER_WIDTHS) if meta.cover_bytes else {}
    return PreparedEpub(path, data, meta, covers, hashlib.sha256(data).hexdigest()[:16])


def import_epub(path: str | Path, user=None, **overrides) -> tuple[Book, bool]:
    """Import or update one EPUB; returns (book, created). Raises EpubError, storing nothing."""
    return store_epub(prepare_epub(path), user, **overrides)


def store_epub(prepared: PreparedEpub, user=None, **overrides) -> tuple[Book, bool]:
    """Store a prepared EPUB in one transaction; returns (book, created). On failure the files
    it stored are removed again, so nothing is half-imported."""
    path, data, meta, covers, digest = (
        prepared.path,
        prepared.data,
        prepared.meta,
        prepared.covers,
        prepared.digest,
    )
    stored = _Stored()
    try:
        with transaction.atomic():
            book = _find_existing(meta)
            created = book is None
            book = book or Book()
            _apply_metadata(book, meta)
            for key, value in overrides.items():
                setattr(book, key, value)
            book.epub.name = stored.save(f"books/{digest}.epub", data)
            if covers:
                _set_cover(book, covers, digest, stored)
            book.save()
            _set_contributors(book, meta)
            book.save(update_fields=["search_text"])
            action = AuditEntry.Action.IMPORTED
            record_change(user, action, book, {"file": ["", path.name]})
    except BaseException:
        stored.remove()
        raise
    return book, created


__all__ = [
    "EpubError",
    "PreparedEpub",
    "import_epub",
    "prepare_epub",
    "replace_cover",
    "store_epub",
]
