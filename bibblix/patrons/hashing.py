"""The patron's identity: a keyed hash of municipality code and card number, never the number."""

import hashlib
import hmac
import re

from django.conf import settings


def normalise_card(card: str) -> str:
    """A card number without spaces or dashes, upper case, as the library system prints it."""
    return re.sub(r"[\s-]", "", card or "").upper()


def card_hash(municipality_code: str, card: str) -> str:
    """Keyed hash (HMAC-SHA256) of municipality code and card number: the patron's identity."""
    message = f"{municipality_code}:{normalise_card(card)}".encode()
    return hmac.new(settings.CARD_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()
