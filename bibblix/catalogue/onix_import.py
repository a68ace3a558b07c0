"""Applying ONIX records to the catalogue: matched to EPUB books by ISBN, one record at a time."""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from bibblix.audit.models import AuditEntry
from bibblix.audit.services import record_change
from bibblix.jobs import progress

from .models import Book, BookContributor, Contributor, join_titles, split_titles
from .onix import OnixError, OnixProduct, parse_onix, read_product

UPDATED_FIELDS = [
    "title",
    "subtitle",
    "alternative_titles",
    "series",
    "series_number",
    "language",
    "subjects",
    "age_min",
    "age_max",
    "reading_age_min",
    "reading_level",
    "is_easy_to_read",
    "accessibility",
    "cover_url",
    "publisher",
    "published_year",
    "page_count",
    "description",
]


@dataclass
class OnixReport:
    updated: list[str] = field(default_factory=list)  # record references
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (reference, isbn)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (reference, message)


PROGRESS_EVERY = 100


def import_onix(source: str | Path | bytes, user=None) -> OnixReport:
    """Apply an ONIX 3.0 file to the books with the same ISBN; every record stands alone.
    Raises OnixError only when the file as a whole cannot be read."""
    report = OnixReport()
    for position, product in enumerate(parse_onix(source), start=1):
        reference = product.findtext("RecordReference") or f"#{position}"
        try:
            item = read_product(product)
            book = Book.objects.filter(isbn=item.isbn).first()
            if book is None:
                report.unmatched.append((item.reference, item.isbn))
                continue
            if item.is_for_children is False:
                raise OnixError(_("The record's audience is not children."))
            _apply(book, item, user)
            report.updated.append(item.reference)
        except OnixError as exc:
            report.errors.append((reference.strip(), str(exc)))
        if position % PROGRESS_EVERY == 0:
            progress.report(position)  # records read so far, in the staff job list
    progress.report(len(report.updated) + len(report.unmatched) + len(report.errors))
    return report


@transaction.atomic
def _apply(book: Book, item: OnixProduct, user) -> None:
    before = {name: getattr(book, name) for name in UPDATED_FIELDS}
    book.title, book.subtitle = item.title, item.subtitle or book.subtitle
    book.alternative_titles = join_titles(split_titles(book.alternative_titles), item.other_titles)
    book.series = item.series or book.series
    book.series_number = item.series_number or book.series_number
    book.language = item.language or book.language
    book.subjects = item.subjects or book.subjects
    if item.age_min is not None:
        book.age_min = item.age_min
    if item.age_max is not None:
        book.age_max = item.age_max
    book.reading_age_min = item.reading_age_min or book.reading_age_min
    if item.reading_level:
        book.reading_level, book.is_easy_to_read = item.reading_level, True
    book.accessibility = item.accessibility or book.accessibility
    book.cover_url = item.cover_url or book.cover_url
    book.publisher = item.publisher or book.publisher
    book.published_year = item.published_year or book.published_year
    book.page_count = item.page_count or book.page_count
    # Blurbs on the book page are written by children's librarians: the publisher's text only
    # fills an empty one.
    book.description = book.description or item.description
    if book.age_min > book.age_max:
        raise OnixError(_("The interest age range ends before it starts."))
    book.save()
    if item.contributors:
        _set_contributors(book, item.contributors)
        book.save(update_fields=["search_text"])
    changes = {
        name: [before[name], getattr(book, name)]
        for name in UPDATED_FIELDS
        if before[name] != getattr(book, name)
    }
    record_change(user, AuditEntry.Action.IMPORTED, book, changes)


def _set_contributors(book: Book, people: list[tuple[str, str]]) -> None:
    book.book_contributors.all().delete()
    for position, (name, role) in enumerate(people):
        contributor, _created = Contributor.objects.get_or_create(
            name=name, defaults={"sort_name": name}
        )
        BookContributor.objects.create(
            book=book, contributor=contributor, role=role, position=position
        )
