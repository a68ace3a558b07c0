"""How long `manage.py import_books` takes for 3,000 small EPUBs (BENCH_IMPORT_BOOKS) on SQLite.

The EPUBs (the demo's generated books, each with a PNG cover) are written once to
var/bench_import/epubs and kept; each run imports them into a new, empty database and media folder
in a temporary directory, and prints the wall time, books per second and the resulting row count.
"""

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BOOKS = int(os.environ.get("BENCH_IMPORT_BOOKS", "3000"))
JOBS = os.environ.get("BENCH_IMPORT_JOBS", "")  # empty: the command's default
EPUBS = ROOT / "var" / "bench_import" / f"epubs-{BOOKS}"


def make_epubs() -> None:
    from bibblix.demo import generated_books as generated

    EPUBS.mkdir(parents=True, exist_ok=True)
    if len(list(EPUBS.glob("*.epub"))) >= BOOKS:
        return
    print(f"Writing {BOOKS} EPUBs once to {EPUBS}", flush=True)
    for number in range(BOOKS):
        data = generated.make_epub(
            number, generated.generated_title(number), generated.generated_author(number)
        )
        (EPUBS / f"book-{number:05d}.epub").write_bytes(data)


def main() -> None:
    make_epubs()
    with tempfile.TemporaryDirectory(prefix="bench_import-") as workdir:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="bibblix.settings",
            BIBBLIX_VAR_DIR=workdir,
            DATABASE_URL=f"sqlite:///{workdir}/import.sqlite3",
            MEDIA_ROOT=f"{workdir}/media",
            TASKS_BACKEND="immediate",
            LOG_LEVEL="WARNING",
        )
        env.pop("REDIS_URL", None)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [
                *manage,
                "import_books",
                str(EPUBS),
                "--no-progress",
                *(["--jobs", JOBS] if JOBS else []),
            ],
            env=env,
            check=True,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU time of the import and its worker processes: steadier than the wall time on a
        # shared machine (what a quiet 2-CPU machine needs is at least half of it).
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        count = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [
                *manage,
                "shell",
                "-c",
                "from bibblix.catalogue.models import Book; print(Book.objects.count())",
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()[-1]
    load = os.getloadavg()
    print(
        f"import_books: {BOOKS} EPUBs in {seconds:.1f} s ({BOOKS / seconds:.0f} books/s), "
        f"CPU {cpu:.1f} s; {count} books in the catalogue; jobs {JOBS or 'default'}; "
        f"{os.cpu_count()} CPUs, "
        f"load {load[0]:.2f}"
    )


if __name__ == "__main__":
    main()
