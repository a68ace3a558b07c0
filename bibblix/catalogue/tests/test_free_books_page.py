from bibblix.catalogue.models import Book


def test_free_books_page_lists_only_books_free_to_try(client, db):
    Book.objects.create(title="Fri bok", is_free_to_try=True)
    Book.objects.create(title="Lånebok")
    content = client.get("/books/free/").content.decode()
    assert "Prova utan lånekort" in content
    assert "Fri bok" in content
    assert "Lånebok" not in content


def test_no_card_page_links_to_a_page_that_exists(client, db):
    content = client.get("/utan-lanekort/").content.decode()
    assert 'href="/books/free/"' in content
    assert client.get("/books/free/").status_code == 200
