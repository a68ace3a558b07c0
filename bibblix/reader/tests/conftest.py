"""Builders for the reader's tests: books with stored EPUBs and loans made directly."""

import datetime
import io
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bibblix.demo.generated_books import make_epub

BOOK_SCRIPT = '<script>window.parent.bookScriptRan = true; document.title = "hacked"</script>'


def epub_with_script() -> bytes:
    """The demo EPUB with an inline script in its first chapter (it must never run)."""
    source = zipfile.ZipFile(io.BytesIO(make_epub(7, "Skriptboken", "Alva Berg")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("chapter-1.xhtml"):
                data = data.replace(b"<h1>", BOOK_SCRIPT.encode() + b"<h1>", 1)
            target.writestr(info, data)
    return out.getvalue()


def long_epub(number: int = 3, title: str = "Den modiga draken i Ale", repeat: int = 6) -> bytes:
    """The demo EPUB with each chapter `repeat` times longer, so a tablet has pages to turn."""
    source = zipfile.ZipFile(io.BytesIO(make_epub(number, title, "Omar Lind")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith(".xhtml") and b"<p>" in data:
                start, end = data.index(b"<p>"), data.rindex(b"</p>") + 4
                data = data[:start] + data[start:end] * repeat + data[end:]
            target.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def make_book(db):
    from bibblix.catalogue.models import Book

    def make(title="Den modiga draken i Ale", *, data=None, number=3, **fields):
        book = Book.objects.create(title=title, language=fields.pop("language", "sv"), **fields)
        book.epub.save(f"book-{number}.epub", ContentFile(data or long_epub(number, title)))
        return book

    return make


@pytest.fixture
def book(make_book):
    return make_book()


@pytest.fixture
def make_loan(db):
    from bibblix.lending.models import Loan

    def make(patron, book, *, days=28, borrowed_at=None):
        start = borrowed_at or timezone.now() - datetime.timedelta(hours=1)
        return Loan.objects.create(
            patron=patron,
            book=book,
            borrowed_at=start,
            due_at=start + datetime.timedelta(days=days),
        )

    return make


@pytest.fixture
def loan(make_loan, patron_ale, book):
    return make_loan(patron_ale, book)


def return_loan(loan) -> None:
    """End a loan the way lending does: mark it returned now."""
    loan.returned_at = timezone.now()
    loan.save(update_fields=["returned_at"])


@pytest.fixture
def lend_sample_book(make_book, make_loan):
    """A book made from one of the sample EPUBs in ../shared/books, lent to `patron`
    (English unless told otherwise). Tests using it carry the `shared` marker."""
    from pathlib import Path

    from django.conf import settings

    def lend(patron, filename, title="Sample", **fields):
        fields.setdefault("language", "en")
        data = (Path(settings.SHARED_DIR) / "books" / filename).read_bytes()
        book = make_book(title, data=data, **fields)
        make_loan(patron, book)
        return book

    return lend


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server on a loopback port, for this test module (skipped without moto)."""
    pytest.importorskip("moto.server", reason="moto[server] (dev extra) is not installed")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1)  # noqa: S310
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def s3_bucket(endpoint: str, bucket: str, monkeypatch, **options) -> tuple:
    """A new bucket on the S3 test server and the STORAGES that keep files in it (private,
    signed with SigV4, plus `options`): (boto3 client, STORAGES)."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=bucket)
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": "private",
                "signature_version": "s3v4",
                **options,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return client, storages
