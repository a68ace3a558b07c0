"""Public functions of the catalogue."""

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from . import search as _search
from .models import LISTING_ORDER, Book, Shelf, Theme

WEEKLY_TIPS = "veckans-tips"


def available_books(day: datetime.date | None = None) -> QuerySet[Book]:
    """Books a child may see and borrow on `day`: not withdrawn, inside their licence window."""
    day = day or timezone.localdate()
    return (
        Book.objects.filter(is_withdrawn=False)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=day))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=day))
    )


def children_books(day: datetime.date | None = None) -> QuerySet[Book]:
    """Available books minus those the association hid from children (e.g. test books)."""
    # One flag on the book, set only by hide_from_children: shelves used to hide their books,
    # so any staff user who could add a shelf hid books from every municipality.
    return available_books(day).filter(is_hidden_from_children=False)


def is_visible_to_children(book: Book | None, day: datetime.date | None = None) -> bool:
    """Whether `book` is one children may see, borrow, queue for and read on `day`: the same rule
    as the pages (`children_books`), for every path that takes a book id (API, OPDS, reader),
    read from the row the caller already has (`Book.is_available_on` and the hidden flag)."""
    return book is not None and book.is_available_on(day) and not book.is_hidden_from_children


def get_children_book(pk: int) -> Book | None:
    """The book with primary key `pk` if children may see it, else None (a 404 for them)."""
    return children_books().filter(pk=pk).first()


# Themes kept for staff and tests only; never listed to children (pages, forms, OPDS).
INTERNAL_THEMES = frozenset({"testbocker"})


def children_themes() -> QuerySet[Theme]:
    """The themes children may browse, in their order: internal test themes left out, and only
    those with a book. `EXISTS`, not a count of each theme's books: at 100,000 books counting
    every book-theme link took 0.25-0.5 s, and nothing shows the count."""
    with_a_book = Book.themes.through.objects.filter(
        theme_id=OuterRef("pk"), book__is_withdrawn=False
    )
    return Theme.objects.exclude(slug__in=INTERNAL_THEMES).filter(Exists(with_a_book))


def featured_books(limit: int = 12) -> list[Book]:
    """The national "Veckans tips" shelf in its order, then other featured books by title."""
    books = children_books().prefetch_related("book_contributors__contributor")
    chosen = list(shelf_books(national_shelf(WEEKLY_TIPS), limit=limit)) if limit else []
    if len(chosen) < limit:
        rest = (
            books.filter(is_featured=True)
            .exclude(pk__in=[b.pk for b in chosen])
            .order_by("title", "pk")
        )
        chosen += list(rest[: limit - len(chosen)])
    return chosen


POPULAR_CACHE_KEY = "catalogue:popular-book-ids"
POPULAR_SECONDS = 60 * 60  # the counts are read from the usage log at most once an hour
POPULAR_DAYS = 90
POPULAR_POOL = 48  # more ids than a row shows: some may have been withdrawn or hidden since


def popular_books(limit: int = 12) -> list[Book]:
    """The books children borrowed most in the last 90 days, those children may see today,
    most borrowed first; topped up with the librarians' tips (featured_books) while a young
    service has few loans. The counts come from the anonymous usage log (usage.services),
    cached for an hour in the shared cache; the books themselves are read fresh."""
    from bibblix.usage.services import most_borrowed_book_ids

    ids = cache.get(POPULAR_CACHE_KEY)
    if ids is None:
        ids = most_borrowed_book_ids(days=POPULAR_DAYS, limit=POPULAR_POOL)
        cache.set(POPULAR_CACHE_KEY, ids, POPULAR_SECONDS)
    found = children_books().filter(pk__in=ids).prefetch_related("book_contributors__contributor")
    by_id = {book.pk: book for book in found}
    chosen = [by_id[pk] for pk in ids if pk in by_id][:limit]
    if len(chosen) < limit:
        taken = {book.pk for book in chosen}
        tips = [book for book in featured_books(limit) if book.pk not in taken]
        chosen += tips[: limit - len(chosen)]
    return chosen


def get_book(pk: int) -> Book | None:
    """The book with primary key `pk`, or None."""
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
    """Books matching `query` and `filters`, best first: typo-tolerant, prefix as you type,
    å/ä/ö folded (see catalogue.search and docs/catalogue.md)."""
    books = _search.apply_filters(children_books(), filters or SearchFilters())
    if not query.strip():
        return books.order_by(*LISTING_ORDER)
    return _search.rank_by_query(books, query)


def did_you_mean(query: str, filters: SearchFilters | None = None) -> str:
    """For a search that found nothing: a nearby query that finds something, or ""."""
    from .spelling import suggestion
    from .text import words

    terms = words(query)
    suggested = suggestion(terms) if terms else ""
    if suggested and search(suggested, filters).exists():
        return suggested
    return ""


def refresh_search_index(book_ids=None) -> int:
    """Recompute the search text of books (all by default); returns how many changed."""
    return _search.refresh_search_text(book_ids)


# --- shelves and book-page neighbours ------------------------------------------------------


def national_shelf(slug: str) -> Shelf | None:
    """The national shelf with `slug`, or None."""
    return Shelf.objects.filter(slug=slug, municipality__isnull=True).first()


def shelves_for(municipality=None) -> QuerySet[Shelf]:
    """Children's shelves: the national ones and, given a municipality, its own (first)."""
    scope = Q(municipality__isnull=True)
    if municipality is not None:
        scope |= Q(municipality=municipality)
    return Shelf.objects.filter(scope, is_for_children=True).order_by(
        "-municipality", "sort_order", "name"
    )


def children_shelf(pk: int, municipality=None) -> Shelf | None:
    """Shelf `pk` if it is one of the children's shelves of `municipality` (an Organisation or
    its id; None: a visitor, national shelves only), else None: internal lists and another
    municipality's shelves are not the child's to open."""
    return shelves_for(municipality).filter(pk=pk).first()


def shelf_children_books(shelf: Shelf) -> QuerySet[Book]:
    """The books of `shelf` children may see (`children_books`), in the librarians' order."""
    return (
        children_books()
        .filter(shelf_entries__shelf=shelf)
        .order_by("shelf_entries__position", "title", "pk")
        .prefetch_related("book_contributors__contributor")
    )


def shelf_books(shelf: Shelf | None, limit: int | None = None) -> list[Book]:
    """The first `limit` books of `shelf` children may see, in the librarians' order."""
    if shelf is None:
        return []
    books = shelf_children_books(shelf)
    return list(books[:limit] if limit else books)


def free_to_try_books(limit: int = 12) -> list[Book]:
    """Books anyone may read without a library card ("Prova utan lånekort")."""
    books = children_books().filter(is_free_to_try=True).order_by("title", "pk")
    return list(books.prefetch_related("book_contributors__contributor")[:limit])


def theme_books(theme: Theme) -> QuerySet[Book]:
    """Available children's books with `theme`, featured books first."""
    return (
        children_books()
        .filter(themes=theme)
        .order_by(*LISTING_ORDER)
        .prefetch_related("book_contributors__contributor")
    )


def theme_rows(per_row: int = 12) -> list[tuple[Theme, list[Book]]]:
    """(theme, its first books in listing order) for every children's theme with books: a row
    of covers each. Four queries however many themes and books: the themes, the first
    `per_row` links of each theme (a window function), those books, their authors."""
    themes = list(children_themes())
    links = _first_links(themes, per_row)
    books = Book.objects.filter(pk__in={book_id for _theme, book_id in links})
    by_id = {book.pk: book for book in books.prefetch_related("book_contributors__contributor")}
    rows = []
    for theme in themes:
        row = [by_id[book_id] for theme_id, book_id in links if theme_id == theme.pk]
        if row:
            rows.append((theme, row))
    return rows


def _first_links(themes: list[Theme], per_row: int) -> list[tuple[int, int]]:
    """(theme id, book id) of the first `per_row` children's books of each theme, in listing
    order, theme by theme.

    PostgreSQL: one `UNION ALL` of a `LIMIT per_row` query per theme, each reading the listing
    index (`catalogue_book_listing`) in order and stopping at its first `per_row` books: a few
    milliseconds at 100,000 books, where ranking every book-theme link with a window function
    took 1.5-1.8 s (docs/performance.md, "National scale"). SQLite cannot slice the parts of a
    compound query, and its catalogue is small: it keeps the window function."""
    if not themes:
        return []
    if connection.vendor == "postgresql":
        parts = [
            children_books()
            .filter(themes=theme)
            .order_by(*LISTING_ORDER)
            .values_list(Value(theme.pk, output_field=IntegerField()), "pk")[:per_row]
            for theme in themes
        ]
        links = list(parts[0].union(*parts[1:], all=True))
        order = {theme.pk: position for position, theme in enumerate(themes)}
        # Each part comes back in its own order; the parts themselves may be interleaved.
        return [
            link
            for _position, link in sorted(
                enumerate(links), key=lambda item: (order[item[1][0]], item[0])
            )
        ]
    links = (
        Book.themes.through.objects.filter(theme__in=themes, book__in=children_books().values("pk"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("theme_id"),
                order_by=[
                    F("book__is_featured").desc(),
                    F("book__title").asc(),
                    F("book_id").asc(),
                ],
            )
        )
        .filter(rank__lte=per_row)
        .order_by("theme_id", "rank")
        .values_list("theme_id", "book_id")
    )
    return list(links)


def series_neighbours(book: Book) -> tuple[Book | None, Book | None]:
    """The books just before and after `book` in its series."""
    if not book.series or book.series_number is None:
        return None, None
    same = children_books().filter(series=book.series).exclude(pk=book.pk)
    before = same.filter(series_number__lt=book.series_number).order_by("-series_number").first()
    after = same.filter(series_number__gt=book.series_number).order_by("series_number").first()
    return before, after


def similar_books(book: Book, limit: int = 6) -> list[Book]:
    """ "More like this": books sharing the most themes, in an overlapping age band."""
    theme_ids = list(book.themes.values_list("pk", flat=True))
    if not theme_ids:
        return []
    books = (
        children_books()
        .exclude(pk=book.pk)
        .filter(themes__in=theme_ids, age_min__lte=book.age_max, age_max__gte=book.age_min)
        .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
        .order_by("-shared", *LISTING_ORDER)
    )
    return list(books.prefetch_related("book_contributors__contributor")[:limit])


# Themes that say what kind of book it is, not what it is about: sharing one of them does not
# make two books "about the same thing".
FORM_THEMES = {"lattlast", "klassiker", "serier"} | INTERNAL_THEMES


def easier_book(book: Book) -> Book | None:
    """ "An easier book on the same topic": shares a subject theme (not just "Klassiker" or
    "Lättläst") and is easier: easy to read where `book` is not, or for younger children (an
    age band starting earlier and ending no later). A book that is merely shorter is not easier."""
    theme_ids = list(book.themes.exclude(slug__in=FORM_THEMES).values_list("pk", flat=True))
    if not theme_ids:
        return None
    younger = Q(age_min__lt=book.age_min, age_max__lte=book.age_max)
    easier = younger | (
        Q(is_easy_to_read=True, age_min__lte=book.age_min)
        if not book.is_easy_to_read
        else Q(pk__in=[])
    )
    books = (
        children_books()
        .exclude(pk=book.pk)
        .filter(easier, themes__in=theme_ids)
        .annotate(shared=Count("themes", filter=Q(themes__in=theme_ids)))
        .order_by("-shared", "-is_easy_to_read", "age_min", "-is_featured", "title", "pk")
    )
    return books.first()


# --- curation ------------------------------------------------------------------------------


def withdraw_book(book: Book, user=None) -> bool:
    """Hide `book` from children (audited); False when it already was withdrawn."""
    from bibblix.audit.services import record_change

    if book.is_withdrawn:
        return False
    book.is_withdrawn = True
    book.save(update_fields=["is_withdrawn", "updated_at"])
    record_change(user, "withdrawn", book, {"is_withdrawn": [False, True]})
    return True


def restore_book(book: Book, user=None) -> bool:
    """Show a withdrawn `book` to children again (audited); False when it was not withdrawn."""
    from bibblix.audit.services import record_change

    if not book.is_withdrawn:
        return False
    book.is_withdrawn = False
    book.save(update_fields=["is_withdrawn", "updated_at"])
    record_change(user, "restored", book, {"is_withdrawn": [True, False]})
    return True


HIDE_PERMISSION = "catalogue.hide_book_from_children"


def _set_hidden(book: Book, hidden: bool, by, reason: str) -> bool:
    from bibblix.audit.services import record_change

    if not (by is not None and by.has_perm(HIDE_PERMISSION)):
        raise PermissionDenied("Only the association may hide books from children.")
    if not reason.strip():
        raise ValueError("A reason is required.")
    if book.is_hidden_from_children == hidden:
        return False
    book.is_hidden_from_children = hidden
    book.save(update_fields=["is_hidden_from_children", "updated_at"])
    action = "hidden" if hidden else "shown"
    changes = {"is_hidden_from_children": [not hidden, hidden]}
    record_change(by, action, book, changes, reason=reason.strip())
    return True


def hide_from_children(book: Book, by, reason: str) -> bool:
    """Hide `book` from every child (association only, audited); False if it already was."""
    return _set_hidden(book, True, by, reason)


def show_to_children(book: Book, by, reason: str) -> bool:
    """Undo hide_from_children (association only, audited); False if it was not hidden."""
    return _set_hidden(book, False, by, reason)


# --- for statistics (insights reads the catalogue only through these) ---------------------------


def book_theme_pairs() -> list[tuple[int, int]]:
    """(book id, theme id) for every theme of every book."""
    return list(Book.themes.through.objects.values_list("book_id", "theme_id"))


def book_titles(book_ids) -> dict[int, str]:
    """Titles of the books with these ids (a deleted book is simply missing)."""
    return dict(Book.objects.filter(pk__in=list(book_ids)).values_list("pk", "title"))


def theme_names(theme_ids, language: str = "sv") -> dict[int, str]:
    """Names, with their symbols, of the themes with these ids in `language`."""
    return {
        theme.pk: f"{theme.symbol} {theme.name_for(language)}".strip()
        for theme in Theme.objects.filter(pk__in=list(theme_ids))
    }
