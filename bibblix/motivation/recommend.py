"""Recommendations: "Om du gillade den här" on the book page and a personal shelf on the home page.

A book is scored by what it shares with the child's own reading (not the books they rated
"Sådär"): the next books of a series weigh most, then an author, books other children read
together with it (CoReading, only pairs read by MIN_CO_READERS children or more), then themes.
Never a withdrawn or unavailable book (catalogue's `children_books`), never one outside the
child's age band, never one they have finished. A child who has read nothing yet gets the
librarians' shelves: their library's tips, then the national tips.
"""

import itertools
from collections import Counter

from django.db import transaction
from django.db.models import QuerySet

from bibblix.catalogue import services as catalogue
from bibblix.lending import services as lending
from bibblix.lib.page_cache import bump_content_version, cached_for_child
from bibblix.usage.services import AGE_BANDS, age_band

from .models import CoReading, LibraryTip, Rating

# A pair of books is kept only when at least this many children finished both, so it never
# tells anyone what one child read.
MIN_CO_READERS = 5
SERIES, AUTHOR, CO_READ, THEME = 8, 4, 3, 1
SEEDS = 20  # the child's latest finished books that recommendations start from
THEME_POOL = 200
BANDS = {name: (low, min(high, 12)) for name, low, high in AGE_BANDS}


def child_age_band(patron) -> tuple[int, int] | None:
    """The age band (low, high) of most of the child's finished books; None for a new child."""
    ages = lending.finished_books(patron).values_list("book__age_min", flat=True)[:50]
    bands = Counter(age_band(age) for age in ages)
    if not bands:
        return None
    return BANDS[bands.most_common(1)[0][0]]


def in_band(books: QuerySet, band: tuple[int, int] | None) -> QuerySet:
    """Books whose age range meets the band (a book for 7-10 suits a child reading 6-8)."""
    if band is None:
        return books
    low, high = band
    return books.filter(age_min__lte=high, age_max__gte=low)


def _score(seeds: list, exclude: set[int], band, limit: int) -> list:
    if not seeds:
        return []
    seed_ids = [book.pk for book in seeds]
    pool = in_band(catalogue.children_books(), band).exclude(pk__in=exclude | set(seed_ids))
    series = {book.series for book in seeds if book.series}
    authors = set(
        pool.model.objects.filter(pk__in=seed_ids, book_contributors__role="author").values_list(
            "book_contributors__contributor_id", flat=True
        )
    )
    themes = set(
        pool.model.objects.filter(pk__in=seed_ids, themes__isnull=False).values_list(
            "themes", flat=True
        )
    )
    co_read = Counter()
    for other_id, readers in CoReading.objects.filter(book_id__in=seed_ids).values_list(
        "other_id", "readers"
    ):
        co_read[other_id] += readers
    # Candidates and their scores from id rows only; model instances for the chosen few.
    by_series = dict(pool.filter(series__in=series).values_list("pk", "series_number"))
    by_author = set(
        pool.filter(
            book_contributors__contributor_id__in=authors, book_contributors__role="author"
        ).values_list("pk", flat=True)
    )
    co_read_ids = set(pool.filter(pk__in=list(co_read)).values_list("pk", flat=True))
    shared = Counter(
        pool.filter(themes__in=themes)
        .order_by("-is_featured", "title")
        .values_list("pk", flat=True)[: THEME_POOL * 3]
    )
    ids = set(by_series) | by_author | co_read_ids | set(list(shared)[:THEME_POOL])
    scores = {
        pk: SERIES * (pk in by_series)
        + AUTHOR * (pk in by_author)
        + CO_READ * (pk in co_read_ids)
        + THEME * shared.get(pk, 0)
        for pk in ids
    }
    ranked = sorted(ids, key=lambda pk: (-scores[pk], -co_read.get(pk, 0), by_series.get(pk) or 0))
    chosen = ranked[: limit * 2]  # titles break the remaining ties below
    books = pool.model.objects.filter(pk__in=chosen).prefetch_related(
        "book_contributors__contributor"
    )
    books = sorted(
        books,
        key=lambda b: (-scores[b.pk], -co_read.get(b.pk, 0), b.series_number or 0, b.title),
    )
    return books[:limit]


def _seeds(patron) -> tuple[list, set[int]]:
    finished = list(lending.finished_books(patron).select_related("book")[:200])
    so_so = set(Rating.objects.filter(patron=patron, value=1).values_list("book_id", flat=True))
    read = {row.book_id for row in finished}
    seeds = [row.book for row in finished if row.book_id not in so_so][:SEEDS]
    return seeds, read


def library_tips(library_id: int | None, limit: int = 12) -> list:
    """The available books on the child's own library's tips shelf, in the librarians' order."""
    if library_id is None:
        return []
    order = dict(
        LibraryTip.objects.filter(library_id=library_id).values_list("book_id", "position")
    )
    books = catalogue.children_books().filter(pk__in=list(order))
    return sorted(books, key=lambda book: (order[book.pk], book.title))[:limit]


def recommend(patron, limit: int = 12) -> list:
    """The child's personal shelf: from their own reading; the librarians' shelves for a child
    who has finished nothing yet (or too little to go on). Kept for the child until their
    reading (a loan, a finished book, a rating: their child version) or the catalogue (the
    content version, which tips and co-reading bump too) changes (bibblix.lib.page_cache)."""
    return cached_for_child(
        patron.pk,
        ["recommend", str(patron.library_id), str(limit)],
        lambda: _recommend(patron, limit),
    )


def _recommend(patron, limit: int) -> list:
    seeds, read = _seeds(patron)
    books = _score(seeds, read, child_age_band(patron), limit)
    if len(books) < limit:
        shelf = library_tips(patron.library_id, limit) + catalogue.featured_books(limit)
        band = child_age_band(patron)
        chosen = {book.pk for book in books} | read
        for book in shelf:
            fits = band is None or (book.age_min <= band[1] and book.age_max >= band[0])
            if book.pk not in chosen and fits and not book.is_withdrawn:
                books.append(book)
                chosen.add(book.pk)
            if len(books) >= limit:
                break
    return books


def book_recommendations(book, patron=None, limit: int = 6) -> list:
    """ "Om du gillade den här": books like this one, in the child's band (the book's band for a
    visitor), not ones the child has finished."""
    if patron is not None:
        return cached_for_child(
            patron.pk,
            ["liked", str(book.pk), str(limit)],
            lambda: _book_recommendations(book, patron, limit),
        )
    return _book_recommendations(book, None, limit)


def _book_recommendations(book, patron, limit: int) -> list:
    read: set[int] = set()
    band = BANDS[age_band(book.age_min)]
    if patron is not None:
        read = {row.book_id for row in lending.finished_books(patron)}
        band = child_age_band(patron) or band
    return _score([book], read | {book.pk}, band, limit)


@transaction.atomic
def compute_co_reading(min_readers: int = MIN_CO_READERS) -> int:
    """Recount which books children finished together (idempotent: replaces the table); pairs
    with fewer than `min_readers` children are not kept. Returns the pairs stored."""
    pairs: Counter = Counter()
    rows = lending.finished_readings().iterator(chunk_size=5000)
    for _patron, group in itertools.groupby(rows, key=lambda row: row[0]):
        books = sorted({book_id for _p, book_id in group})
        pairs.update(itertools.permutations(books, 2))
    CoReading.objects.all().delete()
    kept = [
        CoReading(book_id=a, other_id=b, readers=n)
        for (a, b), n in pairs.items()
        if n >= min_readers
    ]
    CoReading.objects.bulk_create(kept, batch_size=2000)
    bump_content_version()  # recommendations are cached per content version
    return len(kept)
