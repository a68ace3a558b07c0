"""OPDS 1.2: well-formed Atom with the namespaces, required elements and links readers need, an
OpenSearch description and search results."""

import pytest
from lxml import etree

from .helpers import make_book, make_theme

pytestmark = pytest.mark.django_db
ATOM = "http://www.w3.org/2005/Atom"
OPDS = "http://opds-spec.org/2010/catalog"
DCTERMS = "http://purl.org/dc/terms/"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
A = f"{{{ATOM}}}"


@pytest.fixture
def shelf(db):
    animals = make_theme()
    return [
        make_book("Pippi Långstrump", isbn="9789129657579", publisher="Rabén & Sjögren"),
        make_book("Bamse", themes=[animals], age_min=6, age_max=8),
        make_book("Prova mig", is_free_to_try=True, cover=False),
    ]


def fetch(client, url, kind):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(kind)
    return etree.fromstring(response.content)


def assert_atom_feed(feed, self_href):
    assert feed.tag == f"{A}feed"
    assert feed.nsmap[None] == ATOM and feed.nsmap["opds"] == OPDS
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{required}") is not None, required
    rels = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert rels["self"] == self_href
    assert rels["start"] == "http://testserver/opds/v1/"
    assert rels["search"] == "http://testserver/opds/v1/opensearch.xml"
    for entry in feed.findall(f"{A}entry"):
        for required in ("id", "title", "updated"):
            assert entry.find(f"{A}{required}") is not None, required


def test_root_is_a_navigation_feed(client, shelf):
    feed = fetch(client, "/opds/v1/", "application/atom+xml;profile=opds-catalog;kind=navigation")
    assert_atom_feed(feed, "http://testserver/opds/v1/")
    titles = [entry.findtext(f"{A}title") for entry in feed.findall(f"{A}entry")]
    assert titles[:3] == ["Alla böcker", "Nya böcker", "Prova gratis"]
    assert "🐾 Djur" in titles
    *lists, choose_library = feed.findall(f"{A}entry")
    for entry in lists:
        assert "kind=acquisition" in entry.find(f"{A}link").get("type")
    assert choose_library.findtext(f"{A}title") == "Välj bibliotek"
    assert choose_library.find(f"{A}link").get("href") == "http://testserver/opds/v1/libraries/"
    assert "kind=navigation" in choose_library.find(f"{A}link").get("type")


def test_acquisition_feed_entries_have_dublin_core_covers_and_borrow_links(client, shelf):
    feed = fetch(
        client, "/opds/v1/books", "application/atom+xml;profile=opds-catalog;kind=acquisition"
    )
    assert_atom_feed(feed, "http://testserver/opds/v1/books")
    pippi = next(
        e for e in feed.findall(f"{A}entry") if e.findtext(f"{A}title") == "Pippi Långstrump"
    )
    assert pippi.findtext(f"{A}id") == "urn:isbn:9789129657579"
    assert pippi.findtext(f"{A}author/{A}name") == "Astrid Lindgren"
    assert pippi.findtext(f"{A}contributor/{A}name") == "Ingrid Vang Nyman"
    assert pippi.findtext(f"{{{DCTERMS}}}language") == "sv"
    assert pippi.findtext(f"{{{DCTERMS}}}publisher") == "Rabén & Sjögren"
    links = {link.get("rel"): link for link in pippi.findall(f"{A}link")}
    assert links["http://opds-spec.org/image"].get("type") == "image/png"
    assert "http://opds-spec.org/image/thumbnail" in links
    borrow = links["http://opds-spec.org/acquisition/borrow"]
    indirect = borrow.find(f"{{{OPDS}}}indirectAcquisition")
    assert indirect.get("type") == "application/webpub+json"
    book = shelf[0]
    assert links["http://opds-spec.org/acquisition"].get("href") == (
        f"http://testserver/read/{book.pk}/manifest.json"
    )


def test_free_to_try_entry_is_open_access(client, shelf):
    feed = fetch(client, "/opds/v1/free", "application/atom+xml")
    [entry] = feed.findall(f"{A}entry")
    rels = {link.get("rel") for link in entry.findall(f"{A}link")}
    assert "http://opds-spec.org/acquisition/open-access" in rels
    assert "http://opds-spec.org/acquisition/borrow" not in rels


def test_complete_entry_is_a_standalone_atom_entry(client, shelf):
    entry = fetch(client, f"/opds/v1/books/{shelf[1].pk}", "application/atom+xml;type=entry")
    assert entry.tag == f"{A}entry"
    assert entry.find(f"{A}category").get("label") == "Djur"


def test_opensearch_description_points_at_the_search_feed(client, shelf):
    doc = fetch(client, "/opds/v1/opensearch.xml", "application/opensearchdescription+xml")
    assert doc.tag == f"{{{OPENSEARCH}}}OpenSearchDescription"
    url = doc.find(f"{{{OPENSEARCH}}}Url")
    assert url.get("type").startswith("application/atom+xml;profile=opds-catalog")
    assert url.get("template") == "http://testserver/opds/v1/search?q={searchTerms}"


def test_search_feed_finds_the_book(client, shelf):
    feed = fetch(client, "/opds/v1/search?q=pippi", "application/atom+xml")
    assert_atom_feed(feed, "http://testserver/opds/v1/search?q=pippi")
    assert [e.findtext(f"{A}title") for e in feed.findall(f"{A}entry")] == ["Pippi Långstrump"]
    assert feed.findtext(f"{{{OPENSEARCH}}}totalResults") == "1"


def test_feeds_are_cacheable_and_answer_304_when_unchanged(client, shelf):
    first = client.get("/opds/v1/books")
    assert "max-age" in first["Cache-Control"]
    again = client.get("/opds/v1/books", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    shelf[0].title = "Pippi Långstrump går ombord"
    shelf[0].save()
    changed = client.get("/opds/v1/books", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200


def test_unknown_theme_is_not_found(client, shelf):
    assert client.get("/opds/v1/themes/finns-inte").status_code == 404
