"""A shelf's own page ("Visa alla" on its row of covers): every book on the shelf children may
see, a page at a time, in the librarians' order; internal lists and other municipalities'
shelves are not there for a child to open."""

import pytest
from django.test import Client
from django.urls import reverse

from bibblix.catalogue.models import Shelf, ShelfEntry

from .builders import make_book

pytestmark = pytest.mark.django_db


def shelve(shelf: Shelf, *books) -> None:
    for position, book in enumerate(books):
        ShelfEntry.objects.create(shelf=shelf, book=book, position=position)


@pytest.fixture
def summer():
    shelf = Shelf.objects.create(
        slug="sommarlasning", name="Sommarläsning", description="Böcker för hängmattan."
    )
    shelve(shelf, make_book("Ö-boken"), make_book("A-boken"))
    return shelf


@pytest.mark.parametrize("url", ["/", "/books/"])
def test_each_shelf_row_has_a_show_all_link_to_its_page(client, summer, url):
    page = client.get(url).content.decode()
    link = f'<a class="row-more" href="/shelves/{summer.pk}/">Visa alla'
    assert link in page


def test_shelf_page_lists_its_books_in_the_librarians_order(client, summer):
    page = client.get(reverse("shelf", args=[summer.pk])).content.decode()
    assert "<h1>" in page and "Sommarläsning" in page and "Böcker för hängmattan." in page
    assert page.index("Ö-boken") < page.index("A-boken")  # position, not title


def test_shelf_page_leaves_out_books_children_may_not_see(client, summer):
    shelve(
        summer,
        make_book("Dold bok", is_hidden_from_children=True),
        make_book("Indragen bok", is_withdrawn=True),
    )
    page = client.get(reverse("shelf", args=[summer.pk])).content.decode()
    assert "A-boken" in page
    assert "Dold bok" not in page and "Indragen bok" not in page


def test_shelf_page_is_paginated_like_a_theme(client):
    shelf = Shelf.objects.create(slug="manga", name="Många böcker")
    shelve(shelf, *(make_book(f"Bok {number:02d}") for number in range(30)))
    first = client.get(reverse("shelf", args=[shelf.pk])).content.decode()
    second = client.get(reverse("shelf", args=[shelf.pk]), {"page": 2}).content.decode()
    assert first.count('class="book-tile"') == 24 and "Sida 1 av 2" in first
    assert second.count('class="book-tile"') == 6 and "Bok 29" in second
    assert "Bok 29" not in first and "Bok 00" not in second


def test_internal_shelf_is_not_found_for_visitors_and_children(child):
    internal = Shelf.objects.create(slug="intern", name="Intern lista", is_for_children=False)
    shelve(internal, make_book("Personalens bok"))
    url = reverse("shelf", args=[internal.pk])
    assert Client().get(url).status_code == 404  # a visitor
    assert child.get(url).status_code == 404
    assert f"/shelves/{internal.pk}/" not in child.get("/books/").content.decode()


def test_a_local_shelf_opens_only_for_children_of_its_municipality(child, ale, boras):
    ales = Shelf.objects.create(slug="ale-tips", name="Ales tips", municipality=ale)
    boras_shelf = Shelf.objects.create(slug="boras-tips", name="Boråstips", municipality=boras)
    shelve(ales, make_book("Ale-boken"))
    shelve(boras_shelf, make_book("Borås-boken"))
    assert "Ale-boken" in child.get(reverse("shelf", args=[ales.pk])).content.decode()
    assert child.get(reverse("shelf", args=[boras_shelf.pk])).status_code == 404
    visitor = Client()  # no municipality: national shelves only
    assert visitor.get(reverse("shelf", args=[ales.pk])).status_code == 404
    assert visitor.get(reverse("shelf", args=[4711])).status_code == 404


def test_shelf_page_is_cached_for_visitors_until_the_shelf_changes(
    client, summer, django_assert_num_queries
):
    url = reverse("shelf", args=[summer.pk])
    client.get(url)
    with django_assert_num_queries(0):
        assert "A-boken" in client.get(url).content.decode()
    shelve(summer, make_book("Ny bok"))  # a librarian adds a book: the next answer shows it
    assert "Ny bok" in client.get(url).content.decode()


def test_long_words_in_a_shelf_name_get_soft_hyphens_and_stay_escaped(client):
    shelf = Shelf.objects.create(slug="lang", name="Sommarläsning <b>kul</b>")
    page = client.get(reverse("shelf", args=[shelf.pk])).content.decode()
    assert "Som\u00admar\u00adläs\u00adning &lt;b&gt;kul&lt;/b&gt;</h1>" in page
    assert "<title>Sommarläsning &lt;b&gt;kul&lt;/b&gt; – Bibblix</title>" in page
