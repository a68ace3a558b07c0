"""Search latency of catalogue.services.search() at 3,000 and 100,000 books, on SQLite and
PostgreSQL. Prints p50/p95 per size, database and kind of query, and next to them the share of
the children's misspellings in benchmarks/misspellings.csv whose book is in the top 3.

Each database is fresh and the script's own: a temporary SQLite file, and a PostgreSQL database
`bench_search` (created and dropped here; BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres, says where the server is). Nothing under var/ and
no test database is touched. Run: .venv/bin/python benchmarks/bench_search.py
"""

import csv
import functools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they come
ROOT = Path(__file__).resolve().parents[1]
# BENCH_SEARCH_SIZES=3000 for a quick run.
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SEARCH_SIZES", "3000,100000").split(","))
ROUNDS = 5
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# Another name keeps two benchmarks on one server apart; BENCH_KEEP=1 leaves the database (and
# skips SQLite with BENCH_ONLY=PostgreSQL) so queries can be profiled with EXPLAIN afterwards.
PG_DB = os.environ.get("BENCH_PG_DB", "bench_search")
KEEP = os.environ.get("BENCH_KEEP") == "1"
ONLY = os.environ.get("BENCH_ONLY", "")

QUERIES = [
    ("exact", "pippi långstrump", {}),
    ("exact", "emil i lönneberga", {}),
    ("exact", "harry potter och de vises sten", {}),
    ("prefix", "pip", {}),
    ("prefix", "harr", {}),
    ("prefix", "lönneb", {}),
    ("prefix", "drak", {}),
    ("typo", "harry poter", {}),
    ("typo", "pipi långstrump", {}),
    ("typo", "emil i lonnberga", {}),
    ("typo", "mamma moo", {}),
    ("filters", "drak", {"age": 7, "language": "sv"}),
    ("filters", "", {"theme": "djur", "age": 9}),
    ("filters", "", {"length": "short", "easy_to_read": True}),
    ("filters", "spök", {"picture_book": False, "length": "long"}),
]
MISSPELLINGS = ROOT / "benchmarks" / "misspellings.csv"


def misspellings() -> list[dict]:
    """query, expected (a title, or a word a title must hold when `author` is empty), author."""
    with MISSPELLINGS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# The books the misspellings are meant to find (the demo's classics and well-known Swedish
# titles), then generated ones.
KNOWN = list(dict.fromkeys((r["expected"], r["author"]) for r in misspellings() if r["author"]))
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "se",
    "tu",
    "vi",
    "no",
    "pe",
    "sa",
    "ri",
    "ko",
    "la",
    "mu",
    "da",
    "fi",
    "gö",
    "bå",
    "sä",
    "jo",
]


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def main() -> int:
    status = 0
    with tempfile.TemporaryDirectory(prefix="bench_search_") as tmp:
        targets = [("SQLite", f"sqlite:///{tmp}/bench.sqlite3")]
        if _postgres_answers():
            targets.append(("PostgreSQL", PG_SERVER.rsplit("/", 1)[0] + f"/{PG_DB}"))
        else:
            print(f"PostgreSQL did not answer at {PG_SERVER}: only SQLite is measured.")
        for label, url in targets:
            if ONLY and label != ONLY:
                continue
            env = {**os.environ, "DATABASE_URL": url, "BIBBLIX_VAR_DIR": tmp}
            # Throwaway keys: the bench database is dropped at the end.
            env.update(SECRET_KEY="bench", CARD_HASH_KEY="bench", MEDIA_ROOT=f"{tmp}/media")  # noqa: S106
            env["DB_CONN_MAX_AGE"] = "600"
            if label == "PostgreSQL":
                _recreate_pg(drop_only=False)
            try:
                result = subprocess.run(  # noqa: S603 - this very script, our own arguments
                    [sys.executable, __file__, "--run", label], env=env, cwd=ROOT, check=False
                )
                status |= result.returncode
            finally:
                if label == "PostgreSQL" and not KEEP:
                    _recreate_pg(drop_only=True)
    return status


def _postgres_answers() -> bool:
    try:
        import psycopg

        psycopg.connect(
            PG_SERVER.replace("postgres://", "postgresql://"), connect_timeout=3
        ).close()
        return True
    except Exception:
        return False


def _recreate_pg(drop_only: bool) -> None:
    import psycopg

    url = PG_SERVER.replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {PG_DB}")


def run(label: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for size in SIZES:
        started = time.perf_counter()
        generate(size)
        took = time.perf_counter() - started
        print(f"\n{label}, {size:,} books (generated in {took:.1f} s)")
        measure()


def generate(target: int) -> None:
    """Add generated books (bulk) until there are `target`; the search text is filled in
    directly, as refresh_search_text() would."""
    from django.db import connection

    from bibblix.catalogue.models import Book, search_text_for
    from bibblix.demo import catalogue as demo
    from bibblix.demo import generated_books as generated

    themes = list(demo.load_themes().values())
    start = Book.objects.count()
    books = []
    for number in range(start, target):
        rng = random.Random(number)
        if number < len(KNOWN):
            title, author = KNOWN[number]
        elif rng.random() < 0.5:
            title = generated.generated_title(number)
            author = generated.generated_author(number)
        else:
            title = f"{made_up_word(rng).capitalize()} och {made_up_word(rng)} {rng.choice(generated.PLACES)}"
            author = f"{made_up_word(rng).capitalize()} {made_up_word(rng).capitalize()}"
        age_min = rng.choice([3, 6, 6, 7, 8, 9, 10])
        book = Book(
            title=title,
            language=rng.choice(["sv"] * 8 + ["en", "ar"]),
            age_min=age_min,
            age_max=min(12, age_min + rng.choice([3, 4, 6])),
            is_easy_to_read=rng.random() < 0.25,
            layout="fixed" if rng.random() < 0.15 else "reflowable",
            page_count=rng.randint(24, 320),
            reading_minutes=rng.randint(10, 400),
            identifier=f"urn:bench:{number}",
            is_generated=True,
            # The Swedish titles of the classics, as the demo catalogue has them.
            alternative_titles="\n".join(demo.OTHER_TITLES.get(title, [])),
        )
        book.search_text = search_text_for(book, [author])
        book.search_titles = book.build_search_titles()
        books.append(book)
    created = Book.objects.bulk_create(books, batch_size=2000)
    through = Book.themes.through
    links = []
    for book in created:
        rng = random.Random(book.pk * 31)
        links += [through(book_id=book.pk, theme_id=t.pk) for t in rng.sample(themes, k=2)]
    through.objects.bulk_create(links, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from bibblix.catalogue.spelling import forget_vocabulary

    forget_vocabulary()  # bulk_create sends no signals


def measure() -> dict[str, float]:
    """Print p50/p95 per kind of query and the misspellings' share; p95 (ms) per kind."""
    from bibblix.catalogue.services import SearchFilters, search

    timings: dict[str, list[float]] = {}
    counts = []
    for round_number in range(ROUNDS + 1):
        for kind, query, filters in QUERIES:
            started = time.perf_counter()
            page = list(search(query, SearchFilters(**filters))[:24])
            took = (time.perf_counter() - started) * 1000
            if round_number:  # the first round warms caches
                timings.setdefault(kind, []).append(took)
                timings.setdefault("all", []).append(took)
            elif kind in {"typo", "exact"}:
                counts.append((query, page[0].title if page else "-"))
    p95s = {}
    for kind, values in timings.items():
        values.sort()
        p95 = p95s[kind] = values[max(0, round(len(values) * 0.95) - 1)]
        print(
            f"  {kind:8} p50 {statistics.median(values):7.1f} ms   p95 {p95:7.1f} ms"
            f"   ({len(values)} searches, first page of 24)"
        )
    print("  top hit: " + "; ".join(f"{q!r} → {t!r}" for q, t in counts))
    p95s["misspelt"] = measure_misspellings()
    return p95s


def measure_misspellings() -> float:
    """The share of misspellings whose book is among the first three results."""
    from bibblix.catalogue.services import search
    from bibblix.catalogue.text import fold

    rows = misspellings()
    missed, took = [], []
    for row in rows:
        started = time.perf_counter()
        titles = [fold(book.title) for book in search(row["query"])[:3]]
        took.append((time.perf_counter() - started) * 1000)
        expected = fold(row["expected"])
        found = expected in titles if row["author"] else any(expected in t for t in titles)
        if not found:
            missed.append(row["query"])
    took.sort()
    p95 = took[max(0, round(len(took) * 0.95) - 1)]
    share = (len(rows) - len(missed)) / len(rows)
    print(
        f"  misspelt p50 {statistics.median(took):7.1f} ms   p95 {p95:7.1f} ms"
        f"   found in top 3: {share:.0%} of {len(rows)} (target >= 90 %)"
    )
    if missed:
        print("  missed: " + ", ".join(repr(q) for q in missed))
    return p95


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        run(sys.argv[2])
    else:
        sys.exit(main())
