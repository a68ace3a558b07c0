"""The children's pages cost the same number of queries however many books they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bibblix.catalogue.models import Book, BookContributor, Contributor, Theme


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """These tests count the queries of rendering a page, so the visitors' page cache is off."""
    settings.PAGE_CACHE = False


def add_books(themes, count, start=0):
    for number in range(start, start + count):
        book = Book.objects.create(title=f"Bok {number}", is_featured=True)
        book.themes.add(themes[number % len(themes)])
        author = Contributor.objects.create(name=f"Författare {number}")
        BookContributor.objects.create(book=book, contributor=author)


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/", "/books/", "/themes/t1/", "/search/?q=bok", "/books/free/"])
def test_page_queries_do_not_grow_with_books(client, db, url):
    themes = [
        Theme.objects.create(slug=f"t{n}", name_sv=f"Tema {n}", name_en=f"T {n}", symbol="*")
        for n in range(3)
    ]
    add_books(themes, 3)
    few = queries(client, url)
    add_books(themes, 30, start=3)
    assert queries(client, url) == few


@pytest.mark.parametrize("url", ["/", "/books/"])
def test_rows_of_covers_cost_the_same_queries_for_more_themes(client, db, url):
    themes = [
        Theme.objects.create(slug=f"t{n}", name_sv=f"Tema {n}", name_en=f"T {n}", symbol="*")
        for n in range(8)
    ]
    add_books(themes[:2], 4)
    client.get(url)  # fills the caches a first visit fills
    few = queries(client, url)
    add_books(themes, 16, start=4)
    assert queries(client, url) == few


def test_theme_rows_list_each_themes_first_books_in_listing_order(db):
    from bibblix.catalogue import services

    themes = [
        Theme.objects.create(slug=f"t{n}", name_sv=f"Tema {n}", name_en=f"T {n}", symbol="*")
        for n in range(3)
    ]
    add_books(themes, 20)
    Book.objects.filter(title__in=["Bok 7", "Bok 13"]).update(is_featured=False)
    for theme, books in services.theme_rows(per_row=4):
        assert books == list(services.theme_books(theme)[:4])


def test_book_page_queries_do_not_grow_with_similar_books_or_authors(client, db):
    themes = [
        Theme.objects.create(slug=f"t{n}", name_sv=f"Tema {n}", name_en=f"T {n}", symbol="*")
        for n in range(1)
    ]
    add_books(themes, 3)
    book = Book.objects.order_by("pk").first()
    few = queries(client, f"/books/{book.pk}/")
    add_books(themes, 30, start=3)
    for number in range(5):
        author = Contributor.objects.create(name=f"Medförfattare {number}")
        BookContributor.objects.create(book=book, contributor=author, position=number + 1)
    assert queries(client, f"/books/{book.pk}/") == few
