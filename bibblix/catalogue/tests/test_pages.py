import pytest

from bibblix.catalogue.models import Shelf, ShelfEntry

from .builders import make_book, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def animals():
    return make_theme("djur", "Djur", "🐾")


def test_books_page_shows_theme_tiles_with_icons_and_shelves(client, animals):
    make_book("Pippi Långstrump", themes=[animals])
    make_book("Gratisboken", is_free_to_try=True)
    tips = Shelf.objects.create(slug="veckans-tips", name="Veckans tips", symbol="⭐")
    ShelfEntry.objects.create(shelf=tips, book=make_book("Tipsboken"))
    page = client.get("/books/").content.decode()
    assert "icons.svg#paw-print" in page and "Djur" in page and "/themes/djur/" in page
    assert "Veckans tips" in page and "Tipsboken" in page
    assert "Prova utan lånekort" in page and "Gratisboken" in page


def test_theme_page_lists_its_books(client, animals):
    make_book("Pippi Långstrump", themes=[animals])
    make_book("Annan bok")
    page = client.get("/themes/djur/").content.decode()
    assert "Pippi Långstrump" in page and "Annan bok" not in page
    assert client.get("/themes/finns-inte/").status_code == 404


def test_search_page_finds_a_book_with_a_typo(client):
    make_book("Pippi Långstrump")
    page = client.get("/search/", {"q": "pipi langstrump"}).content.decode()
    assert "Pippi Långstrump" in page and "1 bok hittades" in page


def test_htmx_search_returns_only_the_results(client):
    make_book("Pippi Långstrump")
    response = client.get("/search/", {"q": "pipp"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Pippi Långstrump" in body and "<html" not in body


def test_search_with_nonsense_filters_ignores_them(client):
    make_book("Pippi Långstrump")
    response = client.get("/search/", {"q": "pippi", "age": "old", "length": "huge"})
    assert response.status_code == 200 and "Pippi Långstrump" in response.content.decode()


def test_book_page_shows_series_neighbours_similar_and_easier_books(client, animals):
    first = make_book("Drakar 1", series="Drakar", series_number=1, themes=[animals])
    second = make_book(
        "Drakar 2", series="Drakar", series_number=2, themes=[animals], reading_minutes=300
    )
    make_book("Drakar 3", series="Drakar", series_number=3, themes=[animals])
    make_book("Lätta djur", themes=[animals], is_easy_to_read=True, reading_minutes=20)
    page = client.get(f"/books/{second.pk}/").content.decode()
    assert "Drakar 1" in page and "Drakar 3" in page
    assert "En lättare bok om samma sak" in page and "Lätta djur" in page
    assert "Mer som den här" in page
    assert f"/books/{first.pk}/" in page


def test_book_page_uses_cover_sizes_in_srcset(client):
    book = make_book(
        "Omslaget", cover_renditions={"160": "covers/a-160.jpg", "320": "covers/a-320.jpg"}
    )
    page = client.get(f"/books/{book.pk}/").content.decode()
    assert "/media/covers/a-160.jpg 160w, /media/covers/a-320.jpg 320w" in page


def test_free_to_try_book_page_links_to_the_reader(client):
    book = make_book("Gratisboken", is_free_to_try=True)
    assert f'href="/read/{book.pk}/"' in client.get(f"/books/{book.pk}/").content.decode()


def test_withdrawn_and_hidden_books_have_no_page(client):
    hidden = make_book("Borta", is_withdrawn=True)
    assert client.get(f"/books/{hidden.pk}/").status_code == 404
    sample = make_book("Testbok", is_hidden_from_children=True)
    assert client.get(f"/books/{sample.pk}/").status_code == 404


def test_nav_links_to_books_and_search(client):
    page = client.get("/").content.decode()
    assert 'href="/books/"' in page and 'href="/search/"' in page


def test_local_shelf_is_shown_only_to_children_of_that_municipality(child, ale, boras, client):
    ShelfEntry.objects.create(
        shelf=Shelf.objects.create(slug="ale-tips", name="Ales tips", municipality=ale),
        book=make_book("Ale-boken"),
    )
    ShelfEntry.objects.create(
        shelf=Shelf.objects.create(slug="boras-tips", name="Boråstips", municipality=boras),
        book=make_book("Borås-boken"),
    )
    page = child.get("/books/").content.decode()
    assert "Ales tips" in page and "Boråstips" not in page


def test_titles_carry_the_books_language_and_facts_the_pages(client, db):
    from bibblix.catalogue.models import Book

    book = Book.objects.create(title="The Jungle Book", language="en")
    content = client.get(f"/books/{book.pk}/").content.decode()
    assert '<h1 lang="en">The Jungle Book</h1>' in content
    assert (
        'lang="en">' + "<span" not in content
    )  # the Swedish word "Engelska" is not marked English


@pytest.mark.parametrize(
    "minutes, shown",
    [(45, "Ungefär 45 minuter"), (60, "Ungefär 1 timme<"), (125, "Ungefär 2 timmar och 5 minuter")],
)
def test_book_page_gives_reading_time_in_hours_and_minutes(client, minutes, shown):
    book = make_book("Tjockisen", reading_minutes=minutes)
    assert shown in client.get(f"/books/{book.pk}/").content.decode()


def test_easier_book_shares_a_subject_and_is_easier_not_just_shorter(client, animals):
    classics = make_theme("klassiker", "Klassiker")
    book = make_book("Djungelboken", themes=[animals, classics], age_min=9, reading_minutes=300)
    make_book("Bara en klassiker", themes=[classics], is_easy_to_read=True, age_min=6)
    make_book("Kort djurbok", themes=[animals], age_min=9, reading_minutes=20)
    page = client.get(f"/books/{book.pk}/").content.decode()
    assert "En lättare bok om samma sak" not in page
    make_book("Djur för små", themes=[animals], age_min=6, age_max=9)
    page = client.get(f"/books/{book.pk}/").content.decode()
    assert "En lättare bok om samma sak" in page
    easier = page[page.index("easier-heading") : page.index("similar-heading")]
    assert "Djur för små" in easier and "Kort djurbok" not in easier
    assert "Bara en klassiker" not in easier
