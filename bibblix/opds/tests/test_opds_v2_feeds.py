"""OPDS 2.0: every feed and publication the catalogue serves passes the official JSON Schemas."""

import json

import pytest
from django.conf import settings

from .helpers import assert_valid, make_book, make_theme, schema_errors

pytestmark = [pytest.mark.shared, pytest.mark.django_db]


@pytest.fixture
def shelf(db):
    animals = make_theme("djur", "Djur", "🐾")
    funny = make_theme("humor", "Humor", "😂")
    books = [
        make_book("Pippi Långstrump", themes=[funny], isbn="9789129657579"),
        make_book("Bamse och hönan", themes=[animals, funny], age_min=6, age_max=8),
        make_book(
            "Lätta djurboken",
            themes=[animals],
            is_easy_to_read=True,
            language="en",
            cover=False,
            is_free_to_try=True,
        ),
    ]
    return {"themes": [animals, funny], "books": books}


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response, json.loads(response.content)


def test_root_is_a_valid_navigation_feed_with_a_templated_search(client, shelf):
    response, feed = get_json(client, "/opds/v2/")
    assert response["Content-Type"].startswith("application/opds+json")
    assert_valid("feed", feed)
    titles = [entry["title"] for entry in feed["navigation"]]
    assert "🐾 Djur" in titles and "😂 Humor" in titles
    search = next(link for link in feed["links"] if link["rel"] == "search")
    assert search["templated"] is True
    assert search["href"] == "http://testserver/opds/v2/search{?query}"


@pytest.mark.parametrize("path", ["books", "new", "free", "themes/djur", "search?query=pippi"])
def test_every_publication_feed_is_valid(client, shelf, path):
    _response, feed = get_json(client, f"/opds/v2/{path}")
    assert_valid("feed", feed)
    for publication in feed.get("publications", []):
        assert_valid("publication", publication)


def test_theme_feed_lists_only_that_themes_books(client, shelf):
    _response, feed = get_json(client, "/opds/v2/themes/djur")
    titles = {p["metadata"]["title"] for p in feed["publications"]}
    assert titles == {"Bamse och hönan", "Lätta djurboken"}


def test_search_result_without_books_is_still_a_valid_feed(client, shelf):
    _response, feed = get_json(client, "/opds/v2/search?query=finnsinte")
    assert feed["metadata"]["numberOfItems"] == 0
    assert "publications" not in feed
    assert_valid("feed", feed)


def test_publication_carries_the_metadata_a_reader_app_shows(client, shelf):
    pippi = shelf["books"][0]
    response, publication = get_json(client, f"/opds/v2/books/{pippi.pk}")
    assert response["Content-Type"].startswith("application/opds-publication+json")
    assert_valid("publication", publication)
    meta = publication["metadata"]
    assert meta["identifier"] == "urn:isbn:9789129657579"
    assert meta["language"] == "sv"
    assert meta["author"] == [{"name": "Astrid Lindgren", "sortAs": "Lindgren"}]
    assert meta["illustrator"][0]["name"] == "Ingrid Vang Nyman"
    assert meta["subject"] == [{"name": "Humor", "code": "humor"}]
    cover = publication["images"][0]
    assert cover["type"] == "image/png" and cover["rel"] == "cover"


def test_borrowable_book_links_to_the_library_choice_and_the_webpub_manifest(client, shelf):
    pippi = shelf["books"][0]
    _response, publication = get_json(client, f"/opds/v2/books/{pippi.pk}")
    links = {link["rel"]: link for link in publication["links"]}
    borrow = links["http://opds-spec.org/acquisition/borrow"]
    # Nationally nobody is logged in: borrowing starts by choosing the library.
    assert borrow["href"] == "http://testserver/opds/v2/libraries/"
    assert borrow["type"] == "application/opds+json"
    assert borrow["properties"]["indirectAcquisition"] == [{"type": "application/webpub+json"}]
    reading = links["http://opds-spec.org/acquisition"]
    assert reading["href"] == f"http://testserver/read/{pippi.pk}/manifest.json"
    assert reading["type"] == "application/webpub+json"


def test_free_to_try_book_is_open_access(client, shelf):
    free = shelf["books"][2]
    _response, publication = get_json(client, f"/opds/v2/books/{free.pk}")
    rels = {link["rel"] for link in publication["links"]}
    assert "http://opds-spec.org/acquisition/open-access" in rels
    assert "http://opds-spec.org/acquisition/borrow" not in rels


def test_withdrawn_book_is_not_found(client, shelf):
    pippi = shelf["books"][0]
    pippi.is_withdrawn = True
    pippi.save()
    assert client.get(f"/opds/v2/books/{pippi.pk}").status_code == 404


def test_the_broken_example_feed_is_rejected(settings):
    with open(settings.SHARED_DIR / "schemas" / "examples" / "broken-opds2-feed.json") as f:
        broken = json.load(f)
    errors = schema_errors("feed", broken)
    assert any("title" in error for error in errors)
    assert any("not a language tag" in error for error in errors)


def test_the_specification_examples_pass(settings):
    for path in sorted((settings.SHARED_DIR / "schemas" / "examples").glob("opds2-spec-*.json")):
        assert_valid("feed", json.loads(path.read_text()))


def _hrefs(node):
    """Every href and every `modified` in a document, wherever they sit."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("href", "modified", "identifier") and isinstance(value, str):
                yield key, value
            else:
                yield from _hrefs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _hrefs(item)


def assert_formats(document):
    # The shared validator checks "format" only for formats whose checker is installed (uri,
    # uri-template and date-time need extra packages), so check those by hand.
    import datetime
    from urllib.parse import urlsplit

    for key, value in _hrefs(document):
        if key == "modified":
            datetime.datetime.fromisoformat(value)
        elif key == "identifier":
            assert urlsplit(value).scheme, value
        else:
            assert value.startswith("http://testserver/"), value


def test_crawl_every_feed_from_the_start_page(client, shelf):
    """Follow navigation, next pages and facets from /opds/v2/ and validate all that is found."""
    seen, queue = set(), ["http://testserver/opds/v2/"]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        _response, feed = get_json(client, url)
        assert_valid("feed", feed)
        assert_formats(feed)
        queue += [entry["href"] for entry in feed.get("navigation", [])]
        queue += [link["href"] for link in feed["links"] if link["rel"] == "next"]
        for group in feed.get("facets", []) if "?" not in url else []:
            queue += [link["href"] for link in group["links"]]
        for publication in feed.get("publications", []):
            self_link = publication["links"][0]["href"]
            _response, alone = get_json(client, self_link)
            assert_valid("publication", alone)
    assert len(seen) > 10


def test_feeds_are_swedish_unless_english_was_chosen(client, shelf):
    from bibblix.catalogue.models import Theme

    Theme.objects.filter(slug="djur").update(name_en="Animals")
    _response, feed = get_json(client, "/opds/v2/")
    assert "🐾 Djur" in [entry["title"] for entry in feed["navigation"]]
    client.cookies["django_language"] = "en"
    response, feed = get_json(client, "/opds/v2/")
    titles = [entry["title"] for entry in feed["navigation"]]
    assert "🐾 Animals" in titles and "All books" in titles
    assert "Cookie" in response["Vary"]


def test_start_page_shows_the_librarians_picks_as_a_group(client, shelf):
    pippi = shelf["books"][0]
    pippi.is_featured = True
    pippi.save()
    _response, feed = get_json(client, "/opds/v2/")
    assert_valid("feed", feed)
    [group] = feed["groups"]
    assert group["metadata"]["title"] == "Bibliotekariernas tips"
    assert [p["metadata"]["title"] for p in group["publications"]] == ["Pippi Långstrump"]


def test_publication_offers_every_cover_size(client, db):
    from bibblix.catalogue.models import Book

    book = Book.objects.create(
        title="Omslag",
        cover="covers/x-640.jpg",
        cover_renditions={
            "160": "covers/x-160.jpg",
            "320": "covers/x-320.jpg",
            "640": "covers/x-640.jpg",
        },
    )
    images = client.get(f"/opds/v2/books/{book.pk}").json()["images"]
    assert images[0]["rel"] == "cover" and images[0]["href"].endswith("x-640.jpg")
    assert [(i["width"], i["href"].rsplit("/", 1)[1]) for i in images[1:]] == [
        (160, "x-160.jpg"),
        (320, "x-320.jpg"),
    ]
    if settings.SHARED_DIR.exists():
        assert_valid("publication", client.get(f"/opds/v2/books/{book.pk}").json())
