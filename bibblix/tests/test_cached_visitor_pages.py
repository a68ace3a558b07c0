"""A visitor's cached page is answered by CachedVisitorPageMiddleware before authentication,
messages, htmx and the view (bibblix/lib/page_cache.py), with the same answer the view's
wrapper gives."""

import re
from unittest import mock

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory

from bibblix.catalogue.models import Book, Theme
from bibblix.lib import page_cache

pytestmark = pytest.mark.django_db

PAGES = ["/", "/books/", "/themes/drakar/", "/search/?q=drak"]
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}')


@pytest.fixture
def dragon_book():
    theme = Theme.objects.create(slug="drakar", name_sv="Drakar", name_en="Dragons", symbol="*")
    book = Book.objects.create(title="Draken Dunder", is_featured=True)
    book.themes.add(theme)
    return book


@pytest.fixture
def authentication_calls():
    """How often AuthenticationMiddleware ran: it comes after the cached-page middleware."""
    original = AuthenticationMiddleware.process_request
    with mock.patch.object(
        AuthenticationMiddleware, "process_request", autospec=True, side_effect=original
    ) as spy:
        yield spy


def _without_tokens(content: bytes) -> bytes:
    return TOKEN.sub(rb"\1TOKEN", content)


@pytest.mark.parametrize("url", PAGES)
def test_the_second_visit_is_answered_before_authentication_as_the_view_would(
    dragon_book, authentication_calls, url
):
    visitor = Client()
    built = visitor.get(url)  # the view builds and caches it
    assert authentication_calls.call_count == 1
    early = visitor.get(url)
    assert authentication_calls.call_count == 1  # not run: answered before it
    page_cache._visitor_paths.clear()  # the middleware steps aside: the view's wrapper answers
    wrapped = visitor.get(url)
    assert authentication_calls.call_count == 2
    for response in (built, early, wrapped):
        assert response.status_code == 200
    assert _without_tokens(early.content) == _without_tokens(wrapped.content)
    assert _without_tokens(early.content) == _without_tokens(built.content)
    assert b"TOKEN" in _without_tokens(early.content)
    assert page_cache.PLACEHOLDER.encode() not in early.content
    headers = {name: value for name, value in early.items() if name != "ETag"}
    assert headers == {name: value for name, value in wrapped.items() if name != "ETag"}
    for name in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert early[name] == wrapped[name]
    assert set(early["Cache-Control"].split(", ")) == {"no-cache", "private"}


def test_the_token_is_the_visitors_own_and_a_first_visit_gets_its_cookie(dragon_book):
    Client().get("/")  # cached
    newcomer = Client(enforce_csrf_checks=True)
    page = newcomer.get("/")  # from the middleware
    assert "csrftoken" in page.cookies
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = newcomer.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_an_unchanged_page_is_a_304_from_the_middleware(dragon_book, authentication_calls):
    visitor = Client()
    visitor.get("/books/")
    again = visitor.get("/books/")
    calls = authentication_calls.call_count
    not_modified = visitor.get("/books/", headers={"if-none-match": again["ETag"]})
    assert not_modified.status_code == 304
    assert authentication_calls.call_count == calls


def test_a_change_to_the_catalogue_is_not_answered_from_the_old_copy(
    dragon_book, django_capture_on_commit_callbacks
):
    visitor, url = Client(), "/themes/drakar/"
    visitor.get(url)
    assert "Draken Dunder" in visitor.get(url).content.decode()  # from the middleware
    with django_capture_on_commit_callbacks(execute=True):
        dragon_book.title = "Draken Dunder och stormen"
        dragon_book.save()
    assert "Draken Dunder och stormen" in visitor.get(url).content.decode()


def test_a_child_or_a_flash_message_goes_past_the_middleware(
    dragon_book, child, authentication_calls
):
    Client().get("/books/")
    calls = authentication_calls.call_count
    assert "/my/" in child.get("/books/").content.decode()  # the child's own header
    assert authentication_calls.call_count == calls + 1
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "Välkommen tillbaka")
    response = HttpResponse()
    storage.update(response)
    visitor = Client()
    visitor.cookies["messages"] = response.cookies["messages"].value
    assert "Välkommen tillbaka" in visitor.get("/books/").content.decode()


def test_htmx_fragments_and_whole_pages_are_kept_apart(dragon_book):
    visitor, url, htmx = Client(), "/search/?q=drak", {"hx-request": "true"}
    for _ in range(2):  # built, then from the middleware
        whole = visitor.get(url).content
        fragment = visitor.get(url, headers=htmx).content
        boosted = visitor.get(url, headers={**htmx, "hx-boosted": "true"}).content
        assert b"<html" in whole
        assert b"<html" not in fragment
        assert b"Draken Dunder" in fragment
        assert b"<html" in boosted


@pytest.mark.parametrize("url", ["/opds/v2/", "/opds/v2/books", "/opds/v1/new"])
def test_a_national_feed_is_answered_before_authentication_as_the_view_would(
    dragon_book, authentication_calls, url
):
    app = Client()
    built = app.get(url)
    assert authentication_calls.call_count == 1
    early = app.get(url)
    assert authentication_calls.call_count == 1
    page_cache._public_feed_paths.clear()
    wrapped = app.get(url)
    assert authentication_calls.call_count == 2
    assert built.status_code == early.status_code == wrapped.status_code == 200
    assert built.content == early.content == wrapped.content
    assert dict(early.items()) == dict(wrapped.items())
    assert set(early["Cache-Control"].split(", ")) == {"public", "max-age=300"}
    not_modified = app.get(url, headers={"if-none-match": early["ETag"]})
    assert not_modified.status_code == 304
    assert authentication_calls.call_count == 2  # the 304 came from the middleware too


def test_a_change_shows_in_a_national_feed_at_once(dragon_book, django_capture_on_commit_callbacks):
    app = Client()
    app.get("/opds/v2/books")
    assert b"Draken Dunder" in app.get("/opds/v2/books").content
    with django_capture_on_commit_callbacks(execute=True):
        dragon_book.title = "Draken Dunder och stormen"
        dragon_book.save()
    assert "Draken Dunder och stormen" in app.get("/opds/v2/books").content.decode()
