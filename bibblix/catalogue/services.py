"""Public functions of the catalogue."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Book


def available_books(day: datetime.date | None = None) -> QuerySet[Book]:
    """Books a child may see and borrow on `day`: not withdrawn, inside their licence window."""
    day = day or timezone.localdate()
    return (
        Book.objects.filter(is_withdrawn=False)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=day))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=day))
    )


def featured_books(limit: int = 12) -> list[Book]:
    """The librarians' featured books for the home page (real books before generated ones)."""
    books = (
        available_books()
        .filter(is_featured=True)
        .order_by("is_generated", "title")
        .prefetch_related("book_contributors__contributor")
    )
    return list(books[:limit])


def get_book(pk: int) -> Book | None:
    return Book.objects.filter(pk=pk).first()


@dataclass
class SearchFilters:
    """Filters children (and apps) can combine with a search; None means "any"."""

    age: int | None = None
    language: str | None = None
    theme: str | None = None  # Theme.slug
    length: str | None = None  # "short", "medium" or "long"
    easy_to_read: bool | None = None
    picture_book: bool | None = None


def search(query: str = "", filters: SearchFilters | None = None) -> QuerySet[Book]:
    """Books matching `query` and `filters`, best first. (Plain substring match for now; the
    catalogue issue replaces it with typo-tolerant full-text search.)"""
    filters = filters or SearchFilters()
    books = available_books()
    if query.strip():
        books = books.filter(title__icontains=query.strip())
    if filters.age is not None:
        books = books.filter(age_min__lte=filters.age, age_max__gte=filters.age)
    if filters.language:
        books = books.filter(language=filters.language)
    if filters.theme:
        books = books.filter(themes__slug=filters.theme)
    if filters.easy_to_read is not None:
        books = books.filter(is_easy_to_read=filters.easy_to_read)
    if filters.picture_book is not None:
        books = books.filter(
            layout=Book.Layout.FIXED if filters.picture_book else Book.Layout.REFLOWABLE
        )
    return books.order_by("is_generated", "title", "pk")
