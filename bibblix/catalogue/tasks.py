"""Imports as tasks for the worker (inline in the embedded mode and in tests)."""

import tempfile
import uuid

from django.contrib.auth import get_user_model
from django.core.files.base import File
from django.core.files.storage import default_storage
from django_tasks import task

from bibblix.jobs import progress

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


def store_upload(upload) -> str:
    """Keep an uploaded EPUB in storage (the bucket in production) for the worker to import;
    returns its storage name. The web request copies nothing else."""
    return default_storage.save(f"uploads/pending/{uuid.uuid4().hex}.epub", File(upload))


@task()
def import_uploaded_epub(name: str, user_id: int | None = None) -> dict:
    """Import an EPUB the staff uploaded (kept in storage under `name`), then remove the upload.
    Returns {"book": id, "title": title, "created": bool} or {"refused": reason}."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    progress.report(0, 1)
    try:
        with tempfile.NamedTemporaryFile(suffix=".epub") as handle:
            with default_storage.open(name, "rb") as stored:
                for chunk in stored.chunks():
                    handle.write(chunk)
            handle.flush()
            book, created = import_epub(handle.name, user=user)
    except EpubError as exc:
        return {"refused": str(exc)}
    finally:
        default_storage.delete(name)
    progress.report(1, 1)
    return {"book": book.pk, "title": book.title, "created": created}
