"""Language tags: ISO 639-2 codes from publishers become BCP 47, and no code breaks a page."""

import importlib

import pytest
from django.apps import apps

from bibblix.catalogue.importing import import_epub
from bibblix.catalogue.models import Book
from bibblix.catalogue.onix_import import import_onix
from bibblix.lib.languages import language_name, normalise_language

from .builders import make_book
from .epubs import build_epub, opf, write

pytestmark = pytest.mark.django_db

ISBN = "9789129688313"


@pytest.mark.parametrize(
    ("code", "tag"),
    [
        ("swe", "sv"),
        ("eng", "en"),
        ("ara", "ar"),
        ("ger", "de"),
        ("SV", "sv"),
        ("sv_se", "sv-SE"),
        ("swe-FI", "sv-FI"),
        ("en-GB", "en-GB"),
        ("", "sv"),
        ("not a language", "sv"),
        ("123", "sv"),
    ],
)
def test_codes_become_bcp47_with_region_kept(code, tag):
    assert normalise_language(code) == tag


def test_language_name_falls_back_to_the_code():
    assert language_name("sv") == "Svenska"
    assert language_name("swe") == "Svenska"
    assert language_name("sv-FI") == "Svenska"
    assert language_name("qqq") == "qqq"
    assert language_name("") == ""


@pytest.mark.parametrize(("code", "tag"), [("swe", "sv"), ("ara", "ar"), ("en-US", "en-US")])
def test_epub_language_is_stored_as_bcp47(tmp_path, code, tag):
    package = opf().replace("<dc:language>sv</dc:language>", f"<dc:language>{code}</dc:language>")
    book, _ = import_epub(write(tmp_path, build_epub(package=package)))
    assert book.language == tag


@pytest.mark.parametrize(("code", "tag"), [("swe", "sv"), ("vie", "vi"), ("ita", "it")])
def test_onix_language_is_stored_as_bcp47(code, tag):
    book = make_book("Draken", isbn=ISBN)
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<ONIXMessage release="3.0" xmlns="http://ns.editeur.org/onix/3.0/reference">
<Header><Sender><SenderName>F</SenderName></Sender><SentDateTime>20260101</SentDateTime></Header>
<Product><RecordReference>r.1</RecordReference><NotificationType>03</NotificationType>
<ProductIdentifier><ProductIDType>15</ProductIDType><IDValue>{ISBN}</IDValue></ProductIdentifier>
<DescriptiveDetail><TitleDetail><TitleType>01</TitleType><TitleElement>
<TitleElementLevel>01</TitleElementLevel><TitleText>Draken</TitleText></TitleElement></TitleDetail>
<Language><LanguageRole>01</LanguageRole><LanguageCode>{code}</LanguageCode></Language>
</DescriptiveDetail></Product></ONIXMessage>""".encode()
    report = import_onix(feed)
    assert report.errors == []
    book.refresh_from_db()
    assert book.language == tag


@pytest.mark.parametrize("code", ["swe", "qqq", "sv-FI", "i-klngn"])
def test_book_page_shows_any_stored_language(client, code):
    book = make_book("Spökslottet", language=code)
    response = client.get(f"/books/{book.pk}/")
    assert response.status_code == 200
    assert "Spökslottet" in response.content.decode()


def test_swedish_book_page_names_the_language_in_swedish(client):
    book = make_book("Spökslottet", language="swe")
    assert "Svenska" in client.get(f"/books/{book.pk}/").content.decode()


def test_language_filter_finds_regional_tags():
    from bibblix.catalogue.services import SearchFilters, search

    make_book("Finlandssvenska sagor", language="sv-FI")
    make_book("English tales", language="en")
    found = [b.title for b in search("", SearchFilters(language="sv"))]
    assert found == ["Finlandssvenska sagor"]


def test_migration_rewrites_stored_codes():
    migration = importlib.import_module(
        "bibblix.catalogue.migrations.0008_book_language_codes_to_bcp47"
    )
    swedish = make_book("Spökslottet", language="swe")
    arabic = make_book("Sagor", language="ara")
    regional = make_book("Sagor från Åbo", language="sv_FI")
    kept = make_book("Draken", language="en")
    migration.normalise_stored_languages(apps, None)
    languages = dict(Book.objects.values_list("pk", "language"))
    assert languages[swedish.pk] == "sv" and languages[arabic.pk] == "ar"
    assert languages[regional.pk] == "sv-FI" and languages[kept.pk] == "en"
