import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from bibblix.reader import services

from .conftest import return_loan


def epub_url(client, book_id) -> str:
    html = client.get(f"/read/{book_id}/").content.decode()
    return re.search(r'"epubUrl": "([^"]+)"', html)[1]


def test_signed_url_serves_the_whole_epub_to_the_borrower(child, loan):
    response = child.get(epub_url(child, loan.book_id))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK" and len(body) == loan.book.epub.size
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Bibblix-Loan-Due"] == loan.due_at.isoformat()


def test_token_stops_working_when_the_loan_is_returned(child, loan):
    url = epub_url(child, loan.book_id)
    assert child.get(url).status_code == 200
    return_loan(loan)
    assert child.get(url).status_code == 410


def test_token_stops_working_when_the_loan_is_due(child, loan):
    url = epub_url(child, loan.book_id)
    with time_machine.travel(loan.due_at + datetime.timedelta(seconds=1)):
        # Even a token signed a moment ago is refused once the loan period is over.
        fresh = services.sign("epub", loan)
        assert child.get(f"/read/{loan.book_id}/book.epub?t={fresh}").status_code == 410
    assert child.get(url).status_code == 200


def test_token_expires_after_a_few_minutes(child, loan):
    url = epub_url(child, loan.book_id)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert child.get(url).status_code == 403


def test_token_is_bound_to_the_child(client, child, loan, ale_library):
    from bibblix.patrons.services import SESSION_KEY, add_local_card, patron_for_card

    url = epub_url(child, loan.book_id)
    add_local_card(ale_library, "20000002", "1234")
    other = patron_for_card(ale_library, "20000002")
    session = child.session
    session[SESSION_KEY] = str(other.public_id)
    session.save()
    assert child.get(url).status_code == 403


def test_token_without_session_is_refused(client, child, loan):
    url = epub_url(child, loan.book_id)
    child.cookies.clear()
    assert child.get(url).status_code == 403


def test_tampered_or_foreign_tokens_are_refused(child, loan, make_book):
    url = epub_url(child, loan.book_id)
    assert child.get(url[:-2] + "xx").status_code == 403
    other = make_book("En annan bok", number=5)
    token = url.split("t=")[1]
    assert child.get(f"/read/{other.pk}/book.epub?t={token}").status_code == 403
    pub_token = services.sign("pub", loan)
    assert child.get(f"/read/{loan.book_id}/book.epub?t={pub_token}").status_code == 403


def test_range_requests_get_partial_content(child, loan):
    url = epub_url(child, loan.book_id)
    size = loan.book.epub.size
    response = child.get(url, HTTP_RANGE="bytes=0-3")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == b"PK\x03\x04"
    assert response["Content-Range"] == f"bytes 0-3/{size}"
    tail = child.get(url, HTTP_RANGE="bytes=-10")
    assert tail["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    assert child.get(url, HTTP_RANGE=f"bytes={size + 5}-").status_code == 416


def test_unchanged_book_is_not_sent_again(child, loan):
    url = epub_url(child, loan.book_id)
    etag = child.get(url)["ETag"]
    assert child.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_page_renews_its_links_until_the_loan_ends(child, loan):
    response = child.get(f"/read/{loan.book_id}/access.json")
    assert response.status_code == 200
    assert child.get(response.json()["epub"]).status_code == 200
    return_loan(loan)
    assert child.get(f"/read/{loan.book_id}/access.json").status_code == 410


def test_free_book_token_works_without_a_card(client, make_book):
    book = make_book(is_free_to_try=True)
    url = epub_url(client, book.pk)
    assert client.get(url).status_code == 200
    book.is_free_to_try = False
    book.save()
    assert client.get(url).status_code == 410


@pytest.mark.parametrize("header", ["bytes=5-2", "items=0-3"])
def test_odd_range_headers_are_handled(child, loan, header):
    response = child.get(epub_url(child, loan.book_id), HTTP_RANGE=header)
    assert response.status_code in {200, 416}


def test_token_does_not_show_the_childs_public_id(loan):
    import base64
    import binascii
    import contextlib

    token = services.sign("epub", loan)
    public_id = str(loan.patron.public_id)
    readable = [token]
    for part in token.replace(":", ".").split("."):
        for candidate in (part, part + "=" * (-len(part) % 4)):
            with contextlib.suppress(binascii.Error, ValueError):
                readable.append(base64.urlsafe_b64decode(candidate).decode("latin-1"))
    assert not any(public_id in text for text in readable)
    assert not any(public_id.replace("-", "") in text for text in readable)


def test_garbage_and_cut_tokens_are_refused_not_crashed(child, loan):
    token = services.sign("epub", loan)
    for bad in ("x", token[:-3], token + "A", "\u00e5" * 20, "a" * 5000):
        response = child.get(f"/read/{loan.book_id}/book.epub", {"t": bad})
        assert response.status_code == 403
