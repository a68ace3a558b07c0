"""The local card register: card numbers as keyed hashes, PINs only as password hashes.

For the demo, tests and small libraries without a SIP2 server. Same shape as `providers.sip2`:
`check_card(...) -> outcome`.
"""

from django.contrib.auth.hashers import check_password, make_password

from bibblix.patrons.hashing import card_hash
from bibblix.patrons.models import LocalCard


def add_card(
    library,
    card: str,
    pin: str,
    *,
    is_blocked: bool = False,
    is_child: bool = True,
    pin_hash: str = "",
) -> LocalCard:
    """Add or update a card (`pin_hash`: a ready hash of `pin`, so bulk loads hash once)."""
    local, _created = LocalCard.objects.update_or_create(
        library=library,
        card_hash=card_hash(library.municipality.municipality_code, card),
        defaults={
            "pin_hash": pin_hash or make_password(pin),
            "is_blocked": is_blocked,
            "is_child": is_child,
        },
    )
    return local


def check_card(library, card: str, pin: str) -> str:
    """Check card and PIN against the register: 'ok', 'invalid', 'blocked' or 'not_child'.
    The PIN is checked first, so a wrong PIN never tells whether a card exists or is blocked."""
    local = LocalCard.objects.filter(
        library=library, card_hash=card_hash(library.municipality.municipality_code, card)
    ).first()
    if local is None:
        make_password(pin)  # same work as a real check, so timing does not tell cards apart
        return "invalid"
    if not check_password(pin, local.pin_hash):
        return "invalid"
    if local.is_blocked:
        return "blocked"
    if not local.is_child:
        return "not_child"
    return "ok"
