"""The patron row holds no name, PIN, card number or birth date."""

from django.contrib.auth.hashers import check_password, make_password

from bibblix.patrons.models import LocalCard, Patron
from bibblix.patrons.services import card_hash


def test_patron_has_only_hash_public_id_places_and_preferences():
    names = {field.name for field in Patron._meta.get_fields() if field.concrete}
    assert names == {
        "id",
        "public_id",
        "card_hash",
        "municipality",
        "library",
        "preferences",
        "created_at",
        "last_active_at",
    }


def test_card_number_and_pin_are_stored_nowhere(patron_ale, card_ale):
    card, pin = card_ale
    local = LocalCard.objects.get()
    stored = f"{patron_ale.card_hash} {local.card_hash} {local.pin_hash}"
    assert card not in stored
    # The PIN only as a salted password hash. (Whether its four digits turn up somewhere in the
    # hash's hex digits is chance: about once in 2,300 runs, which failed CI once.)
    fields = local.pin_hash.split("$")
    assert pin not in fields and len(fields) >= 3
    assert check_password(pin, local.pin_hash)
    assert make_password(pin) != local.pin_hash  # salted: the same PIN hashes differently
    assert patron_ale.card_hash == card_hash(patron_ale.municipality.municipality_code, card)
