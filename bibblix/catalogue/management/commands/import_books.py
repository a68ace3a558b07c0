from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bibblix.catalogue.epub import EpubError
from bibblix.catalogue.importing import import_epub


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


class Command(BaseCommand):
    help = (
        "Import EPUB files (files or folders). Re-importing a book updates it. One line per "
        "refused file says why; the exit status is 1 when any file was refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="EPUB files or folders holding them")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, paths: list[str], no_progress: bool, **options):
        files = epub_paths(paths)
        created = updated = 0
        refused: list[tuple[Path, str]] = []
        bar = tqdm(files, unit="book", disable=no_progress or not files, file=self.stderr)
        for path in bar:
            bar.set_postfix_str(path.name[:40])
            try:
                _book, is_new = import_epub(path)
            except FileNotFoundError:
                refused.append((path, "the file does not exist"))
            except (EpubError, OSError) as exc:
                refused.append((path, str(exc)))
            else:
                created += is_new
                updated += not is_new
        bar.close()
        for path, reason in refused:
            self.stdout.write(self.style.ERROR(f"REFUSED {path}: {reason}"))
        self.stdout.write(
            f"{created} imported, {updated} updated, {len(refused)} refused of {len(files)} files."
        )
        if refused:
            raise CommandError(f"{len(refused)} file(s) refused.")
