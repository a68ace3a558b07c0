"""Public functions of the catalogue."""

import datetime

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
