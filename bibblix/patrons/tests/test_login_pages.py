"""The children's login pages: accessible markup, numeric keypad, the no-card page and nav."""

from bibblix.patrons.views import FREE_BOOKS_URL


def test_login_page_has_labels_and_numeric_keypad(client, ale):
    page = client.get(f"/login/?municipality={ale.pk}").content.decode()
    assert 'inputmode="numeric"' in page
    assert '<label for="id_card">' in page and '<label for="id_pin">' in page
    assert 'type="password"' in page


def test_one_library_is_not_asked_for(client, ale):
    page = client.get(f"/login/?municipality={ale.pk}").content.decode()
    assert 'type="hidden" name="library"' in page


def test_several_libraries_are_offered(client, ale):
    from bibblix.members.models import Library

    Library.objects.create(municipality=ale, name="Nödinge bibliotek")
    page = client.get(f"/login/?municipality={ale.pk}").content.decode()
    assert "<select" in page and "Nödinge bibliotek" in page


def test_refusal_is_an_alert(client, ale_library, card_ale):
    response = client.post(
        f"/login/?municipality={ale_library.municipality_id}",
        {"library": ale_library.pk, "card": card_ale[0], "pin": "0000"},
    )
    assert 'role="alert"' in response.content.decode()


def test_empty_fields_get_a_clear_message(client, ale_library):
    response = client.post(
        f"/login/?municipality={ale_library.municipality_id}", {"library": ale_library.pk}
    )
    assert response.status_code == 400
    assert "Fyll i både ditt lånekortsnummer och din PIN-kod" in response.content.decode()


def test_login_without_municipality_shows_the_chooser(client, ale):
    page = client.get("/login/").content.decode()
    assert "Var bor du?" in page and "Ale" in page


def test_no_card_page_links_to_the_free_books(client, db):
    page = client.get("/utan-lanekort/").content.decode()
    assert f'href="{FREE_BOOKS_URL}"' in page
    assert "Prova böcker utan lånekort" in page


def test_nav_offers_log_in_to_visitors_and_log_out_to_children(client, child, db):
    assert "Logga ut" in child.get("/").content.decode()
    child.logout()
    page = client.get("/").content.decode()
    assert 'href="/login/"' in page


def test_chooser_offers_trying_without_a_card_to_those_not_listed(client, ale):
    page = client.get("/").content.decode()
    assert 'href="/utan-lanekort/"' in page
    assert "Hittar du inte din kommun" in page
