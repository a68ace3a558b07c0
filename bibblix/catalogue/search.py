"""Child-friendly search with the database's own machinery (see docs/catalogue.md).

Books and queries are folded the same way (catalogue.text.fold: lower case, å/ä→a, ö→o).
PostgreSQL: every word must start a word of the book (a `simple` tsvector prefix query on a
GIN index: as you type); when no book matches, the books holding most of the (spelling-corrected)
words, a bounded set ranked by pg_trgm's word similarity, and when no word is the catalogue's,
pg_trgm's `<%` on a GIN trigram index.
SQLite: FTS5 with the trigram tokenizer. Every word must occur (substring: prefixes and whole
words); when nothing does, the query's trigrams are OR-ed to fetch the best candidates by bm25,
which are reranked in Python by word similarity (the same measure pg_trgm uses) to forgive typos.
"""
# SQL here is built from constants (table and column names); what a child types is always
# passed as a query parameter, never formatted into the SQL.
# ruff: noqa: S608, S611

from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Case, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from .models import LENGTHS, LISTING_ORDER, Book, BookContributor, search_text_for
from .search_index import FTS_TABLE, VECTOR_COLUMN
from .spelling import correct_words, forget_vocabulary, vocabulary
from .text import words

FUZZY_CANDIDATES = 300
TYPO_CANDIDATES = 96  # four pages of 24
FUZZY_THRESHOLD = 0.5
COLUMN = '"catalogue_book"."search_text"'
TITLES = '"catalogue_book"."search_titles"'
VECTOR = f'"catalogue_book"."{VECTOR_COLUMN}"'


def refresh_search_text(book_ids: Iterable[int] | None = None, batch_size: int = 2000) -> int:
    """Recompute the folded search text of the given books (all when None); returns how many
    changed. Triggers keep the SQLite FTS table in step; PostgreSQL indexes the column itself."""
    books = Book.objects.all() if book_ids is None else Book.objects.filter(pk__in=list(book_ids))
    people = defaultdict(list)
    for book_id, name in (
        BookContributor.objects.filter(book__in=books)
        .order_by("book_id", "position", "pk")
        .values_list("book_id", "contributor__name")
    ):
        people[book_id].append(name)
    changed = []
    fields = [
        "pk",
        "title",
        "subtitle",
        "series",
        "alternative_titles",
        "subjects",
        "search_text",
        "search_titles",
    ]
    for book in books.only(*fields).iterator(chunk_size=batch_size):
        text = search_text_for(book, people[book.pk])
        titles = book.build_search_titles()
        if (text, titles) != (book.search_text, book.search_titles):
            book.search_text, book.search_titles = text, titles
            changed.append(book)
    Book.objects.bulk_update(changed, ["search_text", "search_titles"], batch_size=batch_size)
    if changed:
        forget_vocabulary()
    return len(changed)


def apply_filters(books: QuerySet[Book], filters) -> QuerySet[Book]:
    """Narrow `books` by a SearchFilters."""
    if filters.age is not None:
        books = books.filter(age_min__lte=filters.age, age_max__gte=filters.age)
    if filters.language:
        # "sv" also finds "sv-FI": the stored tags keep their region subtags.
        language = filters.language
        books = books.filter(Q(language=language) | Q(language__startswith=f"{language}-"))
    if filters.theme:
        books = books.filter(themes__slug=filters.theme)
    if filters.length in LENGTHS:
        low, high = LENGTHS[filters.length]
        books = books.filter(
            Q(reading_minutes__gte=low, reading_minutes__lt=high)
            | Q(reading_minutes__isnull=True, page_count__gte=low / 2, page_count__lt=high / 2)
        )
    if filters.easy_to_read is not None:
        books = books.filter(is_easy_to_read=filters.easy_to_read)
    if filters.picture_book is not None:
        layout = Book.Layout.FIXED if filters.picture_book else Book.Layout.REFLOWABLE
        books = books.filter(layout=layout)
    return books


def rank_by_query(books: QuerySet[Book], query: str) -> QuerySet[Book]:
    """`books` that match `query`, best first (unchanged order when the query is empty)."""
    terms = words(query)
    if not terms:
        return books
    terms = correct_words(terms, substrings=connection.vendor == "sqlite")
    if connection.vendor == "postgresql":
        return _postgres(books, terms)
    return _sqlite(books, terms)


# --- PostgreSQL ----------------------------------------------------------------------------


def _postgres(books: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    # Terms are folded to [a-z0-9], so they are safe inside a tsquery. Only the last word is
    # still being typed: earlier words must match whole, which keeps short words like "de" from
    # expanding to half the catalogue ("de:*"). Then every word as a prefix ("pip lång"), and
    # only then the typo step.
    whole_then_prefix = " & ".join([*terms[:-1], f"{terms[-1]}:*"])
    all_prefixes = " & ".join(f"{term}:*" for term in terms)
    for tsquery in dict.fromkeys([whole_then_prefix, all_prefixes]):
        strict = books.filter(
            RawSQL(
                f"{VECTOR} @@ to_tsquery('simple', %s)",
                [tsquery],
                output_field=BooleanField(),
            )
        )
        if strict.exists():
            return _rank_by_position(strict, terms)
    phrase = " ".join(terms)
    similarity = RawSQL(f"word_similarity(%s, {COLUMN})", [phrase], output_field=FloatField())
    # No book starts words with all of them. The speller has made each word one that starts a
    # word of the catalogue, so the books holding most of the words, closest to the whole query,
    # are what the child meant. Only TYPO_CANDIDATES books are ranked: word similarity costs
    # about 6 µs a book, and a common word is in tens of thousands of books at national scale.
    candidates = _typo_candidates(books, terms)
    if candidates:
        held = " + ".join(f"({VECTOR} @@ to_tsquery('simple', %s))::int" for _term in terms)
        words_held = RawSQL(held, [f"{term}:*" for term in terms], output_field=FloatField())
        return (
            books.filter(pk__in=candidates)
            .annotate(words_held=words_held, rank=similarity)
            .order_by("-words_held", "-rank", *LISTING_ORDER)
        )
    # No word is the catalogue's: forgive typos with pg_trgm's word similarity (the `<%`
    # operator uses the GIN trigram index and pg_trgm.word_similarity_threshold, 0.6).
    fuzzy = books.filter(RawSQL(f"%s <%% {COLUMN}", [phrase], output_field=BooleanField()))
    return fuzzy.annotate(rank=similarity).order_by("-rank", *LISTING_ORDER)


def _typo_candidates(books: QuerySet[Book], terms: list[str]) -> list[int]:
    """Ids of at most TYPO_CANDIDATES books that start a word with one of `terms`: the rarest
    word's books first ("mol" says more about what a child wants than "den"), each word's in
    listing order."""
    known = vocabulary()
    ids: list[int] = []
    for term in sorted(dict.fromkeys(terms), key=known.uses_starting):
        matching = books.filter(
            RawSQL(
                f"{VECTOR} @@ to_tsquery('simple', %s)", [f"{term}:*"], output_field=BooleanField()
            )
        ).exclude(pk__in=ids)
        ids += matching.order_by(*LISTING_ORDER).values_list("pk", flat=True)[
            : TYPO_CANDIDATES - len(ids)
        ]
        if len(ids) >= TYPO_CANDIDATES:
            break
    return ids


def _rank_by_position(books: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    """The book whose title or series is the query first, then books whose text starts with
    the query as whole words, then with the query as a prefix, then with the query as whole
    words anywhere ("nils" before "nilsson"), then with a word starting with it.
    Cheap on purpose: every matching row is ranked, and a prefix like "dra" matches thousands."""
    phrase = " ".join(terms)
    # One rank, one sort key: the folded title or series is the query (4; title__iexact would
    # compare "Pippi Långstrump" with the folded "pippi langstrump", and upper() every row).
    # Only anchored LIKEs read the text; on PostgreSQL the stored tsvector answers "the query
    # as whole words anywhere" (a phrase query) instead of scanning every matching row's text.
    tiers = [(f"{TITLES} LIKE %s", [f"%|{phrase}|%"], 4)]
    tiers.append((f"{COLUMN} = %s OR {COLUMN} LIKE %s", [phrase, f"{phrase} %"], 3))
    tiers.append((f"{COLUMN} LIKE %s", [f"{phrase}%"], 2))
    if connection.vendor == "postgresql":
        together = " <-> ".join(terms)
        tiers.append((f"{VECTOR} @@ to_tsquery('simple', %s)", [together], 1.75))
        tiers.append((f"{VECTOR} @@ to_tsquery('simple', %s)", [f"{together}:*"], 1.5))
    else:
        whole = [f"% {phrase} %", f"% {phrase}"]
        tiers.append((f"{COLUMN} LIKE %s OR {COLUMN} LIKE %s", whole, 1.75))
        tiers.append((f"{COLUMN} LIKE %s", [f"% {phrase}%"], 1.5))
    sql = " ".join(f"WHEN {condition} THEN {value}" for condition, _params, value in tiers)
    params = [param for _condition, tier_params, _value in tiers for param in tier_params]
    rank = RawSQL(f"(CASE {sql} ELSE 1 END)", params, output_field=FloatField())
    return books.annotate(rank=rank).order_by("-rank", *LISTING_ORDER)


# --- SQLite --------------------------------------------------------------------------------


def _sqlite(books: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    strict = _sqlite_strict(books, terms)
    if strict.exists():
        return _rank_by_position(strict, terms)
    return _sqlite_fuzzy(books, terms)


def _sqlite_strict(books: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    long_terms = [t for t in terms if len(t) >= 3]
    for short in (t for t in terms if len(t) < 3):
        # The trigram tokenizer needs three letters; shorter words match as word prefixes.
        books = books.filter(
            Q(search_text__startswith=short) | Q(search_text__contains=f" {short}")
        )
    if long_terms:
        expression = " AND ".join(f'"{term}"' for term in long_terms)
        books = books.filter(
            RawSQL(
                f'"catalogue_book"."id" IN (SELECT rowid FROM {FTS_TABLE} '
                f"WHERE {FTS_TABLE} MATCH %s)",
                [expression],
                output_field=BooleanField(),
            )
        )
    return books


def _trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def word_similarity(query_words: list[str], text: str) -> float:
    """How well each query word matches its best word in `text` (0..1), averaged; a word that
    starts a text word counts fully, so prefixes typed so far rank high."""
    text_words = text.split()
    if not query_words or not text_words:
        return 0.0
    total = 0.0
    for word in query_words:
        grams = _trigrams(word)
        best = 0.0
        for candidate in text_words:
            if candidate.startswith(word):
                best = 1.0
                break
            best = max(best, len(grams & _trigrams(candidate)) / len(grams | _trigrams(candidate)))
        total += best
    return total / len(query_words)


def _sqlite_fuzzy(books: QuerySet[Book], terms: list[str]) -> QuerySet[Book]:
    candidates = _fts_candidates(_all_words_expression(terms)) or _fts_candidates(
        _any_word_expression(terms)
    )
    scored = [(pk, word_similarity(terms, text)) for pk, text in candidates]
    scored = [(pk, score) for pk, score in scored if score >= FUZZY_THRESHOLD]
    if not scored:
        return books.none()
    rank = Case(
        *[When(pk=pk, then=Value(score)) for pk, score in scored], output_field=FloatField()
    )
    return (
        books.filter(pk__in=[pk for pk, _score in scored])
        .annotate(rank=rank)
        .order_by("-rank", *LISTING_ORDER)
    )


def _fts_candidates(expression: str) -> list[tuple[int, str]]:
    """The best FUZZY_CANDIDATES rows for an FTS5 expression, by bm25. Filters are applied
    afterwards: an FTS MATCH joined to other conditions makes SQLite re-run the MATCH per row."""
    if not expression:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, search_text FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY rank LIMIT {FUZZY_CANDIDATES}",
            [expression],
        )
        return cursor.fetchall()


def _all_words_expression(terms: list[str]) -> str:
    # Every word must share a trigram with the book: a typo rarely breaks all of a word's
    # trigrams, and requiring each word keeps the candidate set small enough to rank quickly.
    groups = []
    for term in terms:
        grams = sorted(_inner_trigrams(term))
        if grams:
            groups.append("(" + " OR ".join(f'"{gram}"' for gram in grams) + ")")
    return " AND ".join(groups)


def _any_word_expression(terms: list[str]) -> str:
    grams = sorted({gram for term in terms for gram in _inner_trigrams(term)})
    return " OR ".join(f'"{gram}"' for gram in grams)


def _inner_trigrams(word: str) -> set[str]:
    return {word[i : i + 3] for i in range(len(word) - 2)}
