"""Imports as tasks for the worker (inline in the embedded mode and in tests)."""

from django_tasks import task

from .epub import EpubError
from .importing import import_epub
from .onix_import import import_onix


@task()
def import_epub_file(path: str) -> dict:
    """Import one EPUB; returns {"book": id, "created": bool} or {"refused": reason}."""
    try:
        book, created = import_epub(path)
    except EpubError as exc:
        return {"refused": str(exc)}
    return {"book": book.pk, "created": created}


@task()
def import_onix_file(path: str) -> dict:
    """Apply an ONIX file; returns the counts and the per-record errors."""
    report = import_onix(path)
    return {
        "updated": len(report.updated),
        "unmatched": len(report.unmatched),
        "errors": [list(error) for error in report.errors],
    }
