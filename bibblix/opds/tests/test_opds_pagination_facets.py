"""Both OPDS versions page through long lists and offer facets (age band, language, easy to
read) whose counts match what choosing them gives."""

import json

import pytest
from lxml import etree

from bibblix.catalogue.models import Book
from bibblix.opds.selection import PAGE_SIZE

from .helpers import assert_valid, make_book

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
OPDS = "{http://opds-spec.org/2010/catalog}"
THREAD = "{http://purl.org/syndication/thread/1.0}"


@pytest.fixture
def many_books(db):
    """PAGE_SIZE * 2 + 5 books: three pages. Every third is in English, every fifth is easy."""
    Book.objects.bulk_create(
        Book(
            title=f"Bok {number:03d}",
            language="en" if number % 3 == 0 else "sv",
            is_easy_to_read=number % 5 == 0,
            age_min=6 if number % 2 else 9,
            age_max=9 if number % 2 else 12,
        )
        for number in range(PAGE_SIZE * 2 + 5)
    )
    return Book.objects.count()


def links_by_rel(feed):
    out = {}
    for link in feed["links"]:
        rels = link["rel"] if isinstance(link["rel"], list) else [link["rel"]]
        for rel in rels:
            out[rel] = link["href"]
    return out


def test_v2_pages_link_first_previous_next_last(client, many_books):
    feed = json.loads(client.get("/opds/v2/books?page=2").content)
    assert feed["metadata"]["numberOfItems"] == many_books
    assert feed["metadata"]["itemsPerPage"] == PAGE_SIZE
    assert feed["metadata"]["currentPage"] == 2
    rels = links_by_rel(feed)
    assert rels["self"] == "http://testserver/opds/v2/books?page=2"
    assert rels["first"] == "http://testserver/opds/v2/books"
    assert rels["previous"] == "http://testserver/opds/v2/books"
    assert rels["next"] == "http://testserver/opds/v2/books?page=3"
    assert rels["last"] == "http://testserver/opds/v2/books?page=3"


def test_v2_last_page_has_no_next_and_holds_the_rest(client, many_books):
    feed = json.loads(client.get("/opds/v2/books?page=3").content)
    assert "next" not in links_by_rel(feed)
    assert len(feed["publications"]) == 5


def test_v2_pages_together_list_every_book_once(client, many_books):
    seen = []
    url = "/opds/v2/books"
    while url:
        feed = json.loads(client.get(url).content)
        seen += [p["metadata"]["title"] for p in feed["publications"]]
        url = links_by_rel(feed).get("next")
    assert len(seen) == len(set(seen)) == many_books


def test_v2_facet_counts_match_the_feed_they_lead_to(client, many_books):
    feed = json.loads(client.get("/opds/v2/books").content)
    groups = {group["metadata"]["title"]: group["links"] for group in feed["facets"]}
    assert set(groups) == {"Ålder", "Språk", "Lättläst"}
    for group in groups.values():
        for link in group:
            target = json.loads(client.get(link["href"]).content)
            assert target["metadata"]["numberOfItems"] == link["properties"]["numberOfItems"]


def test_v2_chosen_facet_is_marked_and_kept_while_paging(client, many_books):
    feed = json.loads(client.get("/opds/v2/books?language=sv").content)
    assert_valid_if_shared(feed)
    language = next(g for g in feed["facets"] if g["metadata"]["title"] == "Språk")
    active = [link for link in language["links"] if link.get("rel") == "self"]
    assert [link["title"] for link in active] == ["Svenska"]
    assert "language=sv" in links_by_rel(feed)["next"]
    assert all(p["metadata"]["language"] == "sv" for p in feed["publications"])


def assert_valid_if_shared(feed):
    from django.conf import settings

    if settings.SHARED_DIR.exists():
        assert_valid("feed", feed)


def test_v2_easy_to_read_facet_lists_only_easy_books(client, many_books):
    make_book("Svår bok")
    feed = json.loads(client.get("/opds/v2/books?easy=1").content)
    assert feed["metadata"]["numberOfItems"] == Book.objects.filter(is_easy_to_read=True).count()


def test_v1_pages_and_facets(client, many_books):
    response = client.get("/opds/v1/books?page=2&language=sv")
    assert response["Content-Type"].startswith(
        "application/atom+xml;profile=opds-catalog;kind=acquisition"
    )
    feed = etree.fromstring(response.content)
    links = {(link.get("rel"), link.get("title")): link for link in feed.iter(f"{ATOM}link")}
    swedish = Book.objects.filter(language="sv").count()
    assert swedish > PAGE_SIZE  # so there is a second page to look at
    assert links[("first", None)].get("href") == "http://testserver/opds/v1/books?language=sv"
    assert links[("previous", None)].get("href") == "http://testserver/opds/v1/books?language=sv"
    assert ("next", None) not in links
    assert links[("last", None)].get("href").endswith("language=sv&page=2")
    facet = links[("http://opds-spec.org/facet", "Svenska")]
    assert facet.get(f"{OPDS}facetGroup") == "Språk"
    assert facet.get(f"{OPDS}activeFacet") == "true"
    assert facet.get(f"{THREAD}count") == str(swedish)
    assert len(feed.findall(f"{ATOM}entry")) == swedish - PAGE_SIZE


def test_page_beyond_the_end_shows_the_last_page(client, many_books):
    feed = json.loads(client.get("/opds/v2/books?page=99").content)
    assert feed["metadata"]["currentPage"] == 3


@pytest.mark.parametrize(
    ("age_min", "age_max", "bands"),
    [
        (6, 9, {"6-9"}),
        (9, 12, {"9-12"}),
        (6, 12, {"6-9", "9-12"}),
        (7, 11, {"6-9", "9-12"}),
        (9, 9, {"6-9", "9-12"}),
        (10, 12, {"9-12"}),
    ],
)
def test_age_band_facet_holds_the_books_written_for_that_band(client, age_min, age_max, bands):
    make_book("Bok", age_min=age_min, age_max=age_max)
    found = {
        band
        for band in ("6-9", "9-12")
        if json.loads(client.get(f"/opds/v2/books?age={band}").content)["metadata"]["numberOfItems"]
    }
    assert found == bands


def test_last_page_still_states_the_page_size(client, many_books):
    """Apps compute the number of pages from numberOfItems / itemsPerPage."""
    feed = json.loads(client.get("/opds/v2/books?page=3").content)
    assert feed["metadata"]["itemsPerPage"] == PAGE_SIZE
    atom = etree.fromstring(client.get("/opds/v1/books?page=3").content)
    assert atom.findtext("{http://a9.com/-/spec/opensearch/1.1/}itemsPerPage") == str(PAGE_SIZE)
    assert atom.findtext("{http://a9.com/-/spec/opensearch/1.1/}startIndex") == str(
        2 * PAGE_SIZE + 1
    )
