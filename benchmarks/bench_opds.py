"""How long OPDS feeds take to build over the 3,000-book demo catalogue (p50/p95 per feed).

Standalone: runs on its own SQLite file and media folder in a temporary directory, then, when
BENCH_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) answers, again on a
`bench_opds` PostgreSQL database that it creates and drops. Never touches var/ or test databases.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RUNS = 30
LEG = "BENCH_OPDS_LEG"  # set for the PostgreSQL run, which is a second process
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
    if os.environ.get(LEG) == "postgres":
        os.environ["DATABASE_URL"] = _fresh_postgres(os.environ["BENCH_POSTGRES_URL"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bibblix.demo import catalogue as demo

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


def _postgres_answers(url: str) -> bool:
    try:
        _admin_connection(url).close()
    except Exception:
        return False
    return True


def _drop_postgres() -> None:
    if os.environ.get(LEG) == "postgres":
        url = os.environ["BENCH_POSTGRES_URL"]
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
    url = os.environ.setdefault("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not os.environ.get(LEG) and url:
        if _postgres_answers(url):
            env = {**os.environ, LEG: "postgres"}
            # Our own interpreter running this very file: no outside input.
            leg = subprocess.run([sys.executable, __file__], env=env, check=False)  # noqa: S603
            sys.exit(leg.returncode)
        print("PostgreSQL leg not run: nothing answered at BENCH_POSTGRES_URL")
