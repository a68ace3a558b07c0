"""Children's pages and national OPDS feeds come from the page cache until the catalogue changes
(bibblix/lib/page_cache.py): fast for the many, never stale, never one visitor's copy to another."""

import re
import time

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.db.models.signals import post_save
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from bibblix.catalogue.models import Book, Theme
from bibblix.lib import page_cache

pytestmark = pytest.mark.django_db

PAGES = ["/", "/books/", "/themes/drakar/", "/search/?q=drak", "/books/free/"]


@pytest.fixture
def dragon_book():
    theme = Theme.objects.create(slug="drakar", name_sv="Drakar", name_en="Dragons", symbol="*")
    book = Book.objects.create(title="Draken Dunder", is_featured=True, is_free_to_try=True)
    book.themes.add(theme)
    return book


def queries(client, url, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return len(captured), response


@pytest.mark.parametrize("url", [*PAGES, "BOOK"])
def test_a_visitors_second_request_runs_no_query(dragon_book, url):
    url = f"/books/{dragon_book.pk}/" if url == "BOOK" else url
    visitor = Client()
    first, response = queries(visitor, url)
    assert response.status_code == 200 and first > 0
    again, response = queries(Client(), url)
    assert response.status_code == 200
    assert again == 0
    assert "Draken Dunder" in response.content.decode()


def test_a_curation_change_in_the_staff_area_shows_on_childrens_pages_within_a_second(
    client, coordinator, dragon_book
):
    visitor = Client()
    book_page = f"/books/{dragon_book.pk}/"
    for url in [*PAGES, book_page]:
        assert "Draken Dunder" in visitor.get(url).content.decode()  # now cached
    client.force_login(coordinator)
    started = time.monotonic()
    client.post(
        "/staff/catalogue/book/", {"action": "withdraw", "_selected_action": [dragon_book.pk]}
    )
    assert visitor.get(book_page).status_code == 404
    for url in PAGES:
        assert "Draken Dunder" not in visitor.get(url).content.decode(), url
    assert time.monotonic() - started < 1


def test_a_new_national_shelf_shows_on_the_books_page_at_once(client, coordinator, dragon_book):
    visitor = Client()
    assert "Sommarboken" not in visitor.get("/books/").content.decode()
    client.force_login(coordinator)
    response = client.post(
        "/staff/catalogue/shelf/add/",
        {
            "slug": "sommar",
            "name": "Sommarboken",
            "symbol": "☀️",
            "description": "",
            "is_for_children": "on",
            "sort_order": "1",
            "entries-TOTAL_FORMS": "1",
            "entries-INITIAL_FORMS": "0",
            "entries-0-book": dragon_book.pk,
            "entries-0-position": "0",
        },
    )
    assert response.status_code == 302
    assert "Sommarboken" in visitor.get("/books/").content.decode()


def test_each_visitor_gets_a_csrf_token_of_their_own_cookie(dragon_book):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    page = second.get("/")  # from the cache
    assert page_cache.PLACEHOLDER not in page.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    response = second.post("/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": token})
    assert response.status_code == 302  # 403 if the token were the first visitor's


def test_a_logged_in_child_never_gets_the_visitors_copy(child, dragon_book):
    Client().get("/books/")  # the visitors' copy
    page = child.get("/books/").content.decode()
    assert "/my/" in page  # the child's "My books" button: rendered for the child


def test_a_flash_message_is_not_cached(client, dragon_book):
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "Välkommen tillbaka")
    carrier = HttpResponse()
    storage.update(carrier)
    Client().get("/books/")  # the visitors' copy
    client.cookies["messages"] = carrier.cookies["messages"].value
    assert "Välkommen tillbaka" in client.get("/books/").content.decode()
    assert "Välkommen tillbaka" not in Client().get("/books/").content.decode()


def test_book_page_answers_304_while_nothing_changed(dragon_book):
    visitor = Client()
    url = f"/books/{dragon_book.pk}/"
    etag = visitor.get(url)["ETag"]
    count, response = queries(visitor, url, if_none_match=etag)
    assert response.status_code == 304 and count == 0
    dragon_book.title = "Draken Dunder och skatten"
    dragon_book.save()
    response = visitor.get(url, headers={"if_none_match": etag})
    assert response.status_code == 200
    assert "skatten" in response.content.decode()


def test_national_opds_feed_is_built_once_until_the_catalogue_changes(client, dragon_book):
    url = "/opds/v2/books"
    assert "Draken Dunder" in client.get(url).content.decode()
    count, response = queries(client, url)
    assert response.status_code == 200 and count == 0
    etag = response["ETag"]
    assert client.get(url, headers={"if_none_match": etag}).status_code == 304
    Book.objects.create(title="Trollet Trulle", is_featured=True)
    response = client.get(url, headers={"if_none_match": etag})
    assert response.status_code == 200 and "Trollet Trulle" in response.content.decode()


def test_a_loan_policy_change_makes_cached_pages_stale():
    from bibblix.lending.models import LoanPolicy

    before = page_cache.content_version()
    post_save.send(sender=LoanPolicy, instance=LoanPolicy(), created=True)
    assert page_cache.content_version() != before


def test_an_import_of_many_books_shows_on_cached_pages_when_it_ends(tmp_path, dragon_book):
    from django.core.management import call_command

    from bibblix.demo import generated_books as generated

    for number in range(3):
        data = generated.make_epub(number, f"Importboken {number}", "Astrid Testsson")
        (tmp_path / f"book-{number}.epub").write_bytes(data)
    Client().get("/search/?q=importboken")  # cached: no such book yet
    call_command("import_books", str(tmp_path), "--no-progress", "--jobs", "2")
    page = Client().get("/search/?q=importboken").content.decode()
    assert all(f"Importboken {number}" in page for number in range(3))


def test_a_bump_by_another_worker_shows_here_within_a_second(monkeypatch):
    from django.core.cache import cache

    mine = page_cache.content_version()
    cache.set(page_cache.VERSION_KEY, "bumped-by-another-worker")  # what its bump leaves
    assert page_cache.content_version() == mine  # this process's copy, for half a second
    later = time.monotonic() + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert page_cache.content_version() == "bumped-by-another-worker"


def test_many_threads_missing_the_same_feed_build_it_once():
    """No stampede: on a cold cache, one thread builds and the others wait for its copy."""
    import threading

    builds = []

    def build():
        builds.append(1)
        time.sleep(0.3)  # a slow page: the others all miss the cache meanwhile
        return "the feed"

    results = []
    start = threading.Barrier(8)

    def ask():
        start.wait()
        results.append(page_cache.cached_feed(["stampede"], build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["the feed"] * 8
    assert len(builds) == 1


def test_when_the_builder_fails_a_waiting_thread_builds_at_once(monkeypatch):
    """The lock goes with the failed build: a waiter builds itself, without waiting it out."""
    import threading

    monkeypatch.setattr(page_cache, "BUILD_WAIT_SECONDS", 5.0)
    failing = threading.Event()

    def fail():
        failing.set()
        time.sleep(0.2)
        raise RuntimeError("database gone")

    errors = []

    def first():
        try:
            page_cache.cached_feed(["failing"], fail)
        except RuntimeError as error:
            errors.append(error)

    thread = threading.Thread(target=first)
    thread.start()
    failing.wait()
    started = time.monotonic()
    assert page_cache.cached_feed(["failing"], lambda: "built here") == "built here"
    thread.join()
    assert time.monotonic() - started < 2
    assert len(errors) == 1
