import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bibblix.catalogue.epub import EpubError
from bibblix.catalogue.importing import PreparedEpub, prepare_epub, store_epubs
from bibblix.lib import page_cache

# Books stored per transaction (one insert per table for the new ones among them).
BATCH = 100


def epub_paths(paths: list[str]) -> list[Path]:
    """The files named, and the .epub files inside the folders named (sorted, recursively)."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() == ".epub")
        else:
            found.append(path)
    return found


def _prepare(path: Path) -> PreparedEpub | str:
    """The prepared EPUB, or why it is refused (a string travels between processes safely)."""
    try:
        return prepare_epub(path)
    except FileNotFoundError:
        return "the file does not exist"
    except (EpubError, OSError) as exc:
        return str(exc)


def prepared(files: list[Path], jobs: int) -> Iterator[PreparedEpub | str]:
    """Each file prepared, in order; reading and cover-making spread over `jobs` processes
    while this one stores (the database step stays in one process, a batch at a time)."""
    if jobs <= 1 or len(files) < 2:
        yield from map(_prepare, files)
        return
    # The forked workers inherit this process's database connection but never touch it (and
    # leave by os._exit, so nothing closes it under us).
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(_prepare, files, chunksize=4)


class Command(BaseCommand):
    # Not the whole project's system checks before every import (a third of a second of the
    # command's start, before any worker can begin); `manage.py check` and deploys run them.
    requires_system_checks = []
    help = (
        "Import EPUB files (files or folders). Re-importing a book updates it. One line per "
        "refused file says why; the exit status is 1 when any file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="EPUB files or folders holding them")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--batch",
            type=int,
            default=BATCH,
            help=f"books stored per transaction (default {BATCH})",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes that read EPUBs and make covers (default: one per CPU)",
        )

    def handle(self, *args, paths: list[str], no_progress: bool, jobs: int, batch: int, **options):
        files = epub_paths(paths)
        created = updated = 0
        refused: list[tuple[Path, str]] = []
        bar = tqdm(
            total=len(files), unit="book", disable=no_progress or not files, file=self.stderr
        )
        waiting: list[tuple[Path, PreparedEpub]] = []

        def store() -> None:
            nonlocal created, updated
            results = store_epubs([epub for _path, epub in waiting])
            for (path, _epub), result in zip(waiting, results, strict=True):
                if result.error:
                    refused.append((path, result.error))
                else:
                    created += result.created
                    updated += not result.created
            bar.update(len(waiting))
            bar.set_postfix_str(waiting[-1][0].name[:40])
            waiting.clear()

        with page_cache.bumps_deferred():
            for path, epub in zip(files, prepared(files, jobs), strict=True):
                if isinstance(epub, str):
                    refused.append((path, epub))
                    bar.update()
                    continue
                waiting.append((path, epub))
                if len(waiting) >= max(1, batch):
                    store()
            if waiting:
                store()
        bar.close()
        for path, reason in refused:
            self.stdout.write(self.style.ERROR(f"REFUSED {path}: {reason}"))
        self.stdout.write(
            f"{created} imported, {updated} updated, {len(refused)} refused of {len(files)} files."
        )
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused.")
