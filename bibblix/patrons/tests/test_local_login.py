from bibblix.patrons.models import Patron
from bibblix.patrons.services import SESSION_KEY


def test_child_logs_in_with_card_and_pin(client, ale, card_ale):
    library = ale.libraries.get()
    response = client.post(
        f"/login/?municipality={ale.pk}",
        {"library": library.pk, "card": card_ale[0], "pin": card_ale[1]},
    )
    assert response.status_code == 302
    patron = Patron.objects.get()
    assert client.session[SESSION_KEY] == str(patron.public_id)


def test_wrong_pin_gets_the_friendly_text_that_does_not_say_which_was_wrong(client, ale, card_ale):
    library = ale.libraries.get()
    response = client.post(
        f"/login/?municipality={ale.pk}",
        {"library": library.pk, "card": card_ale[0], "pin": "9999"},
    )
    assert response.status_code == 401
    assert "Fel lånekortsnummer eller PIN-kod" in response.content.decode()
    assert not Patron.objects.exists()
