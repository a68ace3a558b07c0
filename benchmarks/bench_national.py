"""Bibblix at national scale (`make bench-national`, the heart of `make bench`).

On PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres) it builds
once, and keeps between runs, the database BENCH_NATIONAL_DB (default `bibblix_bench_national`):

- the demo data (`load_demo_data`: 290 municipalities, their libraries, themes, shelves, 3,000
  books), grown to 100,000 books with bench_search's generator (bulk, search text filled in);
- 1,000,000 children: patrons whose card_hash is the keyed hash (`patrons.hashing.card_hash`) of
  a card number, as logging in stores it, spread over the connected libraries, written by COPY;
- 10,000,000 anonymous usage events over two years (bench_insights' one INSERT … SELECT over
  generate_series) and their roll-ups.

Generation is skipped when the database holds all of that already; BENCH_FRESH=1 builds it again.
Next to it the 3,000-book demo alone is kept in BENCH_NATIONAL_DEMO_DB (default
`bibblix_bench_national_demo`), so that the page table at 100,000 books is compared with the one
at 3,000 in the same run, on the same database server and the same server settings
(BENCH_COMPARE=0 leaves that out).

Then the server runs as in production (BIBBLIX_ENV=production, DEBUG off, gunicorn gthread with 2
workers x 8 threads, PostgreSQL, the Redis cache and sessions of REDIS_URL, default
redis://127.0.0.1:6379/0; that Redis database is flushed before each server starts, so give the
benchmark one of its own) on loopback, and one line is printed per figure with its target and
PASS or MISS:

- each page and feed of bench_pages' table, measured with wrk (req/s, p50, p99, the ratio to a bare
  Django ceiling and to the same page at 3,000 books; target: at least 80 % of the 3,000-book req/s);
- borrow throughput: bench_borrow's 32 clients POSTing /api/v1/loans (target >= 300 loans/s);
- the national dashboard over the 10 M events (bench_insights' timing; target < 200 ms);
- search p95 over 100,000 books (bench_search's query mix; target < 20 ms);
- the peak resident memory (VmHWM) of each web worker after all that (target < 150 MB).

Sizes can be made smaller for a quick check (BENCH_NATIONAL_BOOKS, _CHILDREN, _EVENTS); the
database is then built again at the size asked for.
"""

import functools
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import bench_borrow as borrow  # noqa: E402 - the benchmarks folder is put on the path above
import bench_insights as insights  # noqa: E402
import bench_pages as pages  # noqa: E402
import bench_search as search  # noqa: E402
from per_database import postgres_url  # noqa: E402

print = functools.partial(print, flush=True)  # noqa: A001 - figures appear as they come
ROOT = HERE.parent
WORK = Path(os.environ.get("BENCH_NATIONAL_DIR", ROOT / "var" / "bench_national"))
BOOKS = int(os.environ.get("BENCH_NATIONAL_BOOKS", 100_000))
CHILDREN = int(os.environ.get("BENCH_NATIONAL_CHILDREN", 1_000_000))
EVENTS = int(os.environ.get("BENCH_NATIONAL_EVENTS", 10_000_000))
NATIONAL_DB = os.environ.get("BENCH_NATIONAL_DB", "bibblix_bench_national")
DEMO_DB = os.environ.get("BENCH_NATIONAL_DEMO_DB", "bibblix_bench_national_demo")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Production's web server (Dockerfile, docs/deployment.md): gthread, 2 workers x 8 threads.
GUNICORN_OPTIONS = ("--worker-class", "gthread", "--threads", "8")
TARGETS = {"borrow": 300.0, "dashboard": 200.0, "search": 20.0, "memory": 150.0, "pages": 0.8}
RESULT = "BENCH-RESULT "


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


# --- steps run inside Django (a child process per database) -----------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()


def build_demo() -> None:
    """The 3,000-book demo, once."""
    from django.core.management import call_command

    from bibblix.catalogue.models import Book

    call_command("migrate", verbosity=0)
    if not Book.objects.exists():
        print("  loading the demo data (3,000 books)…")
        call_command("load_demo_data", force=True, verbosity=0)


def build_national() -> None:
    """The demo grown to BOOKS books, CHILDREN children and EVENTS events; what is there is kept."""
    from django.db import connection
    from django.db.models import Max

    from bibblix.catalogue.models import Book
    from bibblix.lib.page_cache import bump_content_version
    from bibblix.members import services as members

    build_demo()
    started = time.perf_counter()
    if Book.objects.count() < BOOKS:
        print(f"  growing the catalogue to {BOOKS:,} books…")
        search.generate(BOOKS)
        print(f"  books in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    _children()
    print(f"  {CHILDREN:,} children there ({time.perf_counter() - started:.0f} s)")
    connected = sorted(members.connected_on().values_list("pk", flat=True))
    top_book = Book.objects.aggregate(top=Max("pk"))["top"]
    insights.build_events(EVENTS, books=top_book, municipalities=connected)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    bump_content_version()  # bulk writes send no signals


def _children() -> None:
    """Patrons up to CHILDREN, by COPY, each the keyed hash of a card number of its municipality
    (card N0000000, N0000001, …), spread over the connected municipalities' active libraries."""
    from django.db import connection, transaction
    from django.utils import timezone

    from bibblix.members import services as members
    from bibblix.patrons.hashing import card_hash
    from bibblix.patrons.models import Patron

    have = Patron.objects.filter(card_hash__isnull=False).count()
    if have >= CHILDREN:
        return
    libraries = list(
        members.connected_libraries().values_list(
            "pk", "municipality_id", "municipality__municipality_code"
        )
    )
    now = timezone.now().isoformat()
    print(f"  adding {CHILDREN - have:,} children (COPY)…")
    columns = "public_id, card_hash, municipality_id, library_id, preferences, created_at"
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(
            f"COPY patrons_patron ({columns}, last_active_at) FROM STDIN"  # noqa: S608
        ) as copy:
            for number in range(have, CHILDREN):
                library, municipality, code = libraries[number % len(libraries)]
                hashed = card_hash(code, f"N{number:07d}")
                copy.write_row((uuid.uuid4(), hashed, municipality, library, "{}", now, now))
        cursor.execute("ANALYZE patrons_patron")


def borrowers() -> None:
    """Sessions for bench_borrow's children (ones without loans yet) and its books."""
    from bibblix.catalogue.models import Book
    from bibblix.lending.models import Loan
    from bibblix.members import services as members
    from bibblix.patrons.models import Patron

    libraries = members.connected_libraries().values("pk")
    children = (
        Patron.objects.filter(library__in=libraries)
        .exclude(pk__in=Loan.objects.values("patron_id"))
        .order_by("-pk")[: borrow.PATRONS]
    )
    books = (
        Book.objects.filter(
            licence_model=Book.LicenceModel.UNLIMITED,
            is_withdrawn=False,
            is_hidden_from_children=False,
        )
        .exclude(epub="")
        .order_by("pk")
        .values_list("pk", flat=True)[: borrow.BOOKS]
    )
    print(RESULT + json.dumps({"sessions": borrow.sessions_for(children), "books": list(books)}))


def timings() -> None:
    """The national dashboard and search over the whole catalogue."""
    line, dashboard = insights.time_dashboard()
    print(f"  national dashboard, this year (2026 to 30 November): {line}")
    print(f"  search over {BOOKS:,} books:")
    p95s = search.measure()
    print(RESULT + json.dumps({"dashboard": dashboard, "search": p95s}))


STEPS = {
    "build-demo": build_demo,
    "build-national": build_national,
    "borrowers": borrowers,
    "timings": timings,
}

# --- the run ----------------------------------------------------------------------------------


def step(env: dict[str, str], name: str) -> dict:
    """Run step `name` in a child process with `env`; what it reported, if anything."""
    child = subprocess.Popen(  # noqa: S603 - this very script with a fixed step name
        [sys.executable, __file__, "--step", name],
        env={**env, "PYTHONUNBUFFERED": "1"},
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE,
    )
    result = {}
    for line in child.stdout:
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT) :])
        else:
            print(line, end="")
    if child.wait():
        raise SystemExit(f"bench_national: step {name} failed")
    return result


def database(server: str, name: str) -> dict[str, str]:
    """The production environment on database `name` (created if missing; BENCH_FRESH=1 drops
    it first)."""
    import psycopg

    with psycopg.connect(server.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        if os.environ.get("BENCH_FRESH") == "1":
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = pages.environment(WORK, server.rsplit("/", 1)[0] + f"/{name}")
    env.update(REDIS_URL=REDIS_URL, DB_CONN_MAX_AGE="600", LOG_LEVEL="ERROR")
    return env


def flush_cache() -> None:
    """The benchmark's Redis database emptied: no page of the other database is served."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def serve(env: dict[str, str], national: bool) -> dict:
    """The page table (and, on the national database, borrowing and memory) against gunicorn."""
    flush_cache()
    table = pages.pages(*pages.probe(env))
    people = step(env, "borrowers") if national else {}
    server, port = pages.start("bibblix.wsgi:application", env, "/healthz", GUNICORN_OPTIONS)
    figures: dict = {}
    try:
        figures["pages"] = pages.measure_pages(port, table)
        if national:
            print(f"borrowing from {borrow.CLIENTS} clients", file=sys.stderr)
            figures["borrow"] = borrow.drive(port, people["sessions"], people["books"])
        figures["memory"] = pages.worker_memory_mb(server, "VmHWM")
    finally:
        pages.stop(server)
    return figures


def report(top: dict, national: dict, demo: dict | None, measured: dict) -> int:
    """One line per figure with its target and PASS or MISS; the number of misses."""
    misses = 0
    before = {name: figures for name, _path, figures in demo["pages"]} if demo else {}
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M %Z')} on {socket.gethostname()}, {os.cpu_count()} CPUs"
    )
    print(
        f"gunicorn {pages.WORKERS} workers x 8 threads (gthread), PostgreSQL, Redis; "
        f"wrk -t2 -c{pages.CONNECTIONS} {pages.SECONDS}s; ceiling (bare Django, same "
        f"gunicorn) {top['rate']:.0f} req/s"
    )
    print(f"{BOOKS:,} books, {CHILDREN:,} children, {EVENTS:,} usage events\n")
    for name, _path, figures in national["pages"]:
        line = (
            f"page {name:<16} {figures['rate']:7.0f} req/s  p50 {figures['p50']:6.1f} ms  "
            f"p99 {figures['p99']:7.1f} ms  ceiling {figures['rate'] / top['rate']:4.2f}"
        )
        if figures["bad"] or figures["errors"]:
            line += f"  ({figures['bad']} non-2xx/3xx {figures['errors']})"
        if name in before:
            share = figures["rate"] / before[name]["rate"]
            passed = share >= TARGETS["pages"] and not figures["bad"]
            misses += not passed
            line += (
                f"  vs 3,000 books {before[name]['rate']:.0f} req/s: {share:4.0%} "
                f"(target >= 80 %) {verdict(passed)}"
            )
        else:
            line += "  (not compared with 3,000 books in this run)"
        print(line)
    if "borrow" in national:
        result = national["borrow"]
        rate = result["counts"]["201"] / result["seconds"]
        passed = rate >= TARGETS["borrow"] and not result["counts"]["error"]
        misses += not passed
        print(
            f"borrow, {borrow.CLIENTS} clients POST /api/v1/loans: {rate:.0f} loans/s "
            f"({result['counts']}) (target >= 300) {verdict(passed)}"
        )
    dashboard = measured["dashboard"]["median"]
    misses += dashboard >= TARGETS["dashboard"]
    print(
        f"national dashboard over {EVENTS:,} events: median {dashboard:.0f} ms "
        f"(target < 200 ms) {verdict(dashboard < TARGETS['dashboard'])}"
    )
    p95 = measured["search"]["all"]
    misses += p95 >= TARGETS["search"]
    print(
        f"search p95 over {BOOKS:,} books: {p95:.1f} ms (misspellings alone "
        f"{measured['search']['misspelt']:.1f} ms) (target < 20 ms) "
        f"{verdict(p95 < TARGETS['search'])}"
    )
    peak = max(national["memory"])
    misses += peak >= TARGETS["memory"]
    print(
        f"peak resident memory per web worker: {', '.join(f'{m:.0f}' for m in national['memory'])} "
        f"MB (target < 150 MB) {verdict(peak < TARGETS['memory'])}"
    )
    if demo:
        print(f"  (at 3,000 books: {', '.join(f'{m:.0f}' for m in demo['memory'])} MB per worker)")
    return misses


def main() -> int:
    started = time.monotonic()
    server = postgres_url()
    if server is None:
        print("bench_national: skipped, PostgreSQL does not answer (BENCH_POSTGRES_URL)")
        return 0
    if not borrow.redis_answers(REDIS_URL):
        print(f"bench_national: skipped, Redis does not answer at {REDIS_URL}")
        return 0
    print(f"--- national scale on PostgreSQL ({NATIONAL_DB}), kept in {WORK}")
    national_env = database(server, NATIONAL_DB)
    # Built in the embedded mode: production refuses the demo's Bankgirot test file.
    step({**national_env, "BIBBLIX_ENV": "embedded"}, "build-national")
    compare = os.environ.get("BENCH_COMPARE", "1") != "0"
    demo_env = database(server, DEMO_DB) if compare else None
    if demo_env:
        step({**demo_env, "BIBBLIX_ENV": "embedded"}, "build-demo")
    pages.collect_static(national_env)
    print(f"built or kept in {time.monotonic() - started:.0f} s; measuring")
    top, _memory = pages.measure_ceiling(national_env, GUNICORN_OPTIONS)
    demo = serve(demo_env, national=False) if demo_env else None
    national = serve(national_env, national=True)
    measured = step(national_env, "timings")
    misses = report(top, national, demo, measured)
    load = os.getloadavg()
    print(
        f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"whole run {time.monotonic() - started:.0f} s; {misses} target(s) missed"
    )
    bad = any(f["bad"] for run in (national, demo or {"pages": []}) for _n, _p, f in run["pages"])
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--step":
        _django()
        STEPS[sys.argv[2]]()
    else:
        sys.exit(main())
