"""Importing books: one EPUB at a time, all or nothing."""

import hashlib
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from .epub import EpubError, EpubMetadata, cover_thumbnail, read_epub
from .models import Book, BookContributor, Contributor

# Roughly what a child reads: 250 words a minute of about 6 characters each.
CHARACTERS_PER_MINUTE = 1500
CHARACTERS_PER_PAGE = 1800


def _find_existing(meta: EpubMetadata) -> Book | None:
    if meta.isbn:
        book = Book.objects.filter(isbn=meta.isbn).first()
        if book:
            return book
    if meta.identifier:
        return Book.objects.filter(identifier=meta.identifier).first()
    return None


def import_epub(path: str | Path, **overrides) -> tuple[Book, bool]:
    """Import or update one EPUB; returns (book, created). Raises EpubError, storing nothing."""
    path = Path(path)
    data = path.read_bytes()
    meta = read_epub(path)
    cover = cover_thumbnail(meta.cover_bytes) if meta.cover_bytes else None
    digest = hashlib.sha256(data).hexdigest()[:16]
    with transaction.atomic():
        book = _find_existing(meta)
        created = book is None
        book = book or Book()
        book.title = meta.title
        book.subtitle = meta.subtitle
        book.description = book.description or meta.description
        book.language = (meta.language or "sv").split("-")[0].lower()[:8]
        book.publisher = meta.publisher
        book.published_year = meta.published_year
        book.isbn = meta.isbn
        book.identifier = meta.identifier
        book.layout = meta.layout
        book.has_media_overlays = meta.has_media_overlays
        if meta.text_characters:
            book.reading_minutes = max(1, meta.text_characters // CHARACTERS_PER_MINUTE)
            book.page_count = max(1, meta.text_characters // CHARACTERS_PER_PAGE)
        elif meta.layout == "fixed":
            book.page_count = meta.spine_length
        for key, value in overrides.items():
            setattr(book, key, value)
        book.save()
        epub_name = f"books/{digest}.epub"
        if not default_storage.exists(epub_name):
            epub_name = default_storage.save(epub_name, ContentFile(data))
        book.epub.name = epub_name
        if cover:
            cover_name = f"covers/{digest}.jpg"
            if not default_storage.exists(cover_name):
                cover_name = default_storage.save(cover_name, ContentFile(cover))
            book.cover.name = cover_name
        book.save(update_fields=["epub", "cover"])
        book.book_contributors.all().delete()
        for position, person in enumerate(meta.contributors):
            contributor, _ = Contributor.objects.get_or_create(
                name=person.name, defaults={"sort_name": person.sort_name or person.name}
            )
            BookContributor.objects.create(
                book=book, contributor=contributor, role=person.role, position=position
            )
    return book, created


__all__ = ["EpubError", "import_epub"]
