"""With STORAGE_BACKEND=s3 the reader gets book files from the bucket through short-lived
presigned URLs, after the loan check; the web worker never downloads the whole object.
Runs against moto's S3 server on loopback (the `moto[server]` dev extra)."""

import datetime
import io
import os
import re
import urllib.error
import urllib.request
import zipfile
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from bibblix.demo.generated_books import make_epub
from bibblix.lib import objects

from .conftest import return_loan, s3_bucket

pytest.importorskip("moto.server", reason="moto[server] (dev extra) is not installed")

BUCKET = "bibblix-books"


@pytest.fixture(autouse=True)
def s3_storage(s3_endpoint, monkeypatch):
    client, storages = s3_bucket(
        s3_endpoint, BUCKET, monkeypatch, querystring_auth=True, file_overwrite=False
    )
    with override_settings(STORAGES=storages):
        yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])


def epub_url(client, book_id) -> str:
    html = client.get(f"/read/{book_id}/").content.decode()
    return re.search(r'"epubUrl": "([^"]+)"', html)[1]


def _fetch(url: str, **headers) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            return reply.status, reply.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_book_file_is_a_redirect_to_a_short_lived_presigned_url(
    child, loan, s3_storage, s3_endpoint
):
    assert objects.is_remote(loan.book.epub.storage)
    response = child.get(epub_url(child, loan.book_id))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_endpoint}/{BUCKET}/")
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    assert response["Cache-Control"] == "private, no-store"
    status, body = _fetch(location)
    stored = s3_storage.get_object(Bucket=BUCKET, Key=loan.book.epub.name)["Body"].read()
    assert status == 200 and body == stored and body[:2] == b"PK"
    status, part = _fetch(location, Range="bytes=0-9")
    assert status == 206 and part == stored[:10]


def test_the_loan_is_checked_before_any_url_is_given(child, loan):
    url = epub_url(child, loan.book_id)
    return_loan(loan)
    response = child.get(url)
    assert response.status_code == 410 and "Location" not in response


@override_settings(READER_OBJECT_URL_SECONDS=30)
def test_the_presigned_url_expires_as_configured_and_an_old_reader_link_gets_none(child, loan):
    """moto does not enforce the expiry of presigned URLs (S3 does), so this checks that the
    signed URL carries it: signed now, valid READER_OBJECT_URL_SECONDS. The reader's own link
    expires after READER_URL_SECONDS and then yields no new presigned URL."""
    url = epub_url(child, loan.book_id)
    query = parse_qs(urlsplit(child.get(url)["Location"]).query)
    assert query["X-Amz-Expires"] == ["30"]
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    assert abs((now - signed_at).total_seconds()) < 60
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        later = child.get(url)
    assert later.status_code == 403 and "Location" not in later


def test_the_reader_page_may_connect_to_the_bucket(child, loan, s3_endpoint):
    policy = child.get(f"/read/{loan.book_id}/")["Content-Security-Policy"]
    assert f"connect-src 'self' {s3_endpoint}" in policy


def _big_epub() -> bytes:
    """The demo EPUB with 2 MB of incompressible filler, like a picture book's images."""
    source = zipfile.ZipFile(io.BytesIO(make_epub(5, "Den stora boken", "Alva Berg")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        target.writestr("OEBPS/filler.bin", os.urandom(2_000_000))
    return out.getvalue()


def test_entries_are_read_by_ranges_not_by_downloading_the_book(
    child, make_book, make_loan, patron_ale, monkeypatch
):
    loan = make_loan(patron_ale, make_book("Den stora boken", data=_big_epub(), number=5))
    read = []
    original = objects._RangedObject.readinto

    def counting(self, buffer):
        count = original(self, buffer)
        read.append(count)
        return count

    monkeypatch.setattr(objects._RangedObject, "readinto", counting)
    monkeypatch.setattr(
        "storages.backends.s3.S3File.read",
        lambda *a, **k: pytest.fail("the whole object was downloaded"),
    )
    manifest = child.get(f"/read/{loan.book_id}/manifest.json").json()
    chapter = manifest["readingOrder"][0]["href"]
    response = child.get(chapter)
    assert response.status_code == 200 and b"<html" in response.content
    assert read and sum(read) < loan.book.epub.size / 10


@pytest.mark.parametrize("seconds", [45, 300])
def test_the_presigned_url_carries_exactly_the_configured_life(child, loan, seconds):
    """The expiry itself is enforced by S3 (moto's server does not check it): what we control
    is that the signature covers READER_OBJECT_URL_SECONDS from the moment of the redirect."""
    url = epub_url(child, loan.book_id)
    with override_settings(READER_OBJECT_URL_SECONDS=seconds):
        before = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
        location = child.get(url)["Location"]
        after = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == [str(seconds)]
    assert query["X-Amz-Signature"]  # the expiry is part of what is signed (SigV4 query)
    signed_at = datetime.datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")
    assert before <= signed_at <= after


def test_every_request_for_the_file_checks_the_loan_again(child, loan):
    """A reader link given while the loan ran yields a bucket URL only while it still runs:
    the redirect is never cached and is re-decided on each request."""
    url = epub_url(child, loan.book_id)
    first, second = child.get(url), child.get(url)
    assert first.status_code == second.status_code == 302
    loan.due_at = timezone.now() - datetime.timedelta(minutes=1)  # the loan ran out
    loan.save(update_fields=["due_at"])
    expired = child.get(url)
    assert expired.status_code in {403, 410} and "Location" not in expired
    loan.due_at = timezone.now() + datetime.timedelta(days=1)
    loan.save(update_fields=["due_at"])
    assert child.get(url).status_code == 302
    return_loan(loan)
    returned = child.get(url)
    assert returned.status_code == 410 and "Location" not in returned
