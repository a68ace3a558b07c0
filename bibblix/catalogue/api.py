"""The catalogue's JSON API: the same search as the children's pages, and one book."""

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from bibblix.lib.inputs import MAX_PAGE, Id, Text

from . import services
from .models import Book

router = Router(tags=["books"])


class ContributorOut(Schema):
    name: str
    role: str


class BookOut(Schema):
    id: int
    title: str
    subtitle: str
    authors: list[str]
    language: str
    age_min: int
    age_max: int
    length: str
    page_count: int | None
    reading_minutes: int | None
    is_easy_to_read: bool
    is_picture_book: bool
    has_media_overlays: bool
    is_free_to_try: bool
    series: str
    series_number: int | None
    themes: list[str]
    cover: str | None
    covers: dict[str, str]
    url: str


class BookDetailOut(BookOut):
    description: str
    content_note: str
    contributors: list[ContributorOut]
    publisher: str
    published_year: int | None
    isbn: str
    reading_level: str
    subjects: list[dict]
    accessibility: list[dict]


class BookQuery(Schema):
    q: Text(200) = ""
    age: int | None = Field(None, ge=0, le=120)
    language: Text(20) | None = None
    theme: Text(100) | None = None
    length: Literal["short", "medium", "long"] | None = None
    easy: bool | None = None
    picture: bool | None = None


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url and url.startswith("/") else url


def _summary(request, book: Book) -> dict:
    from django.core.files.storage import default_storage
    from django.urls import reverse

    return {
        "id": book.pk,
        "title": book.title,
        "subtitle": book.subtitle,
        "authors": [c.name for c in book.authors],
        "language": book.language,
        "age_min": book.age_min,
        "age_max": book.age_max,
        "length": book.length,
        "page_count": book.page_count,
        "reading_minutes": book.reading_minutes,
        "is_easy_to_read": book.is_easy_to_read,
        "is_picture_book": book.is_picture_book,
        "has_media_overlays": book.has_media_overlays,
        "is_free_to_try": book.is_free_to_try,
        "series": book.series,
        "series_number": book.series_number,
        "themes": [theme.slug for theme in book.themes.all()],
        "cover": _absolute(request, book.cover_src) or None,
        "covers": {
            size: _absolute(request, default_storage.url(name))
            for size, name in book.cover_renditions.items()
        },
        "url": request.build_absolute_uri(reverse("catalogue:book", args=[book.pk])),
    }


class BoundedPages(PageNumberPagination):
    """Page numbers a listing can have: a 64-bit page number would overflow the SQL offset."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=100)


@router.get("/books", response=list[BookOut], auth=None)
@paginate(BoundedPages, page_size=24)
def list_books(request, query: Query[BookQuery]):
    """Search the children's catalogue (typo-tolerant, as you type), best first, 24 a page."""
    filters = services.SearchFilters(
        age=query.age,
        language=query.language or None,
        theme=query.theme or None,
        length=query.length,
        easy_to_read=query.easy,
        picture_book=query.picture,
    )
    books = services.search(query.q, filters).prefetch_related(
        "themes", "book_contributors__contributor"
    )
    return _Summaries(request, books)


class _Summaries:
    """Lets the paginator slice and count the queryset before books become dicts."""

    def __init__(self, request, books):
        self.request, self.books = request, books

    def __getitem__(self, item):
        return [_summary(self.request, book) for book in self.books[item]]

    def __len__(self) -> int:
        return self.books.count()

    def count(self) -> int:
        return self.books.count()


@router.get("/books/{book_id}", response=BookDetailOut, auth=None)
def get_book(request, book_id: Id):
    """One book a child may see, with its blurb, contributors and publication details."""
    book = get_object_or_404(
        services.children_books().prefetch_related("themes", "book_contributors__contributor"),
        pk=book_id,
    )
    return {
        **_summary(request, book),
        "description": book.description,
        "content_note": book.content_note,
        "contributors": [
            {"name": bc.contributor.name, "role": bc.role} for bc in book.book_contributors.all()
        ],
        "publisher": book.publisher,
        "published_year": book.published_year,
        "isbn": book.isbn,
        "reading_level": book.reading_level,
        "subjects": book.subjects,
        "accessibility": book.accessibility,
    }
