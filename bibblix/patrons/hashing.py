"""The patron's identity: a keyed hash of municipality code and card number, never the number."""

import hashlib
import hmac
import re

from django.conf import settings


def normalise_card(card: str) -> str:
    """A card number without spaces or dashes, upper case, as the library system prints it.
    Only those two are dropped: a tab, CR or "|" stays and gets the card refused."""
    return re.sub(r"[ \u00a0-]", "", card or "").upper()


def attempt_card(card: str) -> str:
    """The card an attempt counts against for lockout: the normalised number without anything
    but letters and digits, so "30000001|" or "30000001\x00" count against card 30000001 (such
    cards are refused before the library system is asked, but the try is counted)."""
    return re.sub(r"[^0-9A-Z]", "", normalise_card(card))


def card_hash(municipality_code: str, card: str) -> str:
    """Keyed hash (HMAC-SHA256) of municipality code and card number: the patron's identity."""
    message = f"{municipality_code}:{normalise_card(card)}".encode()
    return hmac.new(settings.CARD_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()
