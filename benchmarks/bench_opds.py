"""How long OPDS feeds take to build over the 3,000-book demo catalogue (p50/p95 per feed).

Standalone: makes its own SQLite file (or, with BENCH_DATABASE_URL, a `bench_opds` PostgreSQL
database) and media folder in a temporary directory, and never touches var/ or test databases.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 30
URLS = [
    "/opds/v2/",
    "/opds/v2/books",
    "/opds/v2/books?page=40",
    "/opds/v2/books?age=6-9&language=sv&easy=1",
    "/opds/v2/new",
    "/opds/v2/search?query=drak",
    "/opds/v1/books",
    "/opds/v1/books?page=40",
]


def setup(workdir: str) -> None:
    os.environ["BIBBLIX_VAR_DIR"] = workdir
    os.environ["MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench_opds.sqlite3"
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = _fresh_postgres(os.environ["BENCH_DATABASE_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bibblix.catalogue import demo

    demo.load(out=lambda *args, **kwargs: None)


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)


def _fresh_postgres(url: str) -> str:
    """A new, empty `bench_opds` database next to the one in `url`; its URL."""
    with _admin_connection(url) as connection:
        connection.execute("DROP DATABASE IF EXISTS bench_opds")
        connection.execute("CREATE DATABASE bench_opds")
    return url.rsplit("/", 1)[0] + "/bench_opds"


def _drop_postgres() -> None:
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        from django.db import connections

        connections.close_all()
        with _admin_connection(url) as connection:
            connection.execute("DROP DATABASE IF EXISTS bench_opds")


def measure(client, url: str) -> tuple[float, float, int]:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], len(response.content)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench_opds_") as workdir:
        setup(workdir)
        from django.db import connection
        from django.test import Client

        from bibblix.catalogue.models import Book

        client = Client()
        print(
            f"OPDS feeds over {Book.objects.count()} books on {connection.vendor}, {RUNS} runs each"
        )
        try:
            for url in URLS:
                p50, p95, size = measure(client, url)
                print(f"  {url:<45} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {size / 1024:6.1f} KiB")
        finally:
            _drop_postgres()


if __name__ == "__main__":
    main()
