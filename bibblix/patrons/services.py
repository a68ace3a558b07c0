"""Public functions for children's accounts. Card numbers and PINs never leave this app."""

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from .models import LocalCard, Patron

SESSION_KEY = "bibblix_patron"


def normalise_card(card: str) -> str:
    return re.sub(r"[\s-]", "", card or "").upper()


def card_hash(municipality_code: str, card: str) -> str:
    """Keyed hash (HMAC-SHA256) of municipality code and card number: the patron's identity."""
    message = f"{municipality_code}:{normalise_card(card)}".encode()
    return hmac.new(settings.CARD_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class AuthResult:
    ok: bool
    patron: Patron | None = None
    reason: str = ""  # "ok", "invalid", "blocked", "not_child", "not_connected", "unavailable"


def add_local_card(
    library,
    card: str,
    pin: str,
    *,
    is_blocked: bool = False,
    is_child: bool = True,
    pin_hash: str = "",
) -> LocalCard:
    """Add or update a card in a library's local card register (`pin_hash`: a ready hash of
    `pin`, so that bulk loads hash a shared PIN once)."""
    local, _ = LocalCard.objects.update_or_create(
        library=library,
        card_hash=card_hash(library.municipality.municipality_code, card),
        defaults={
            "pin_hash": pin_hash or make_password(pin),
            "is_blocked": is_blocked,
            "is_child": is_child,
        },
    )
    return local


def check_local_card(library, card: str, pin: str) -> str:
    """Check card and PIN against the local register: 'ok', 'invalid', 'blocked' or 'not_child'."""
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


def authenticate(library, card: str, pin: str) -> AuthResult:
    """Ask the library's login provider whether card and PIN are valid; on success return the
    patron (created on first login). Only libraries of connected municipalities let anyone in."""
    from bibblix.members import services as members

    if not members.is_connected(library.municipality):
        return AuthResult(ok=False, reason="not_connected")
    outcome = check_local_card(library, card, pin)
    if outcome != "ok":
        return AuthResult(ok=False, reason=outcome)
    return AuthResult(ok=True, patron=patron_for_card(library, card), reason="ok")


@transaction.atomic
def patron_for_card(library, card: str) -> Patron:
    """The patron for a card that the library system has accepted (created on first login)."""
    municipality = library.municipality
    patron, created = Patron.objects.get_or_create(
        card_hash=card_hash(municipality.municipality_code, card),
        defaults={"municipality": municipality, "library": library},
    )
    if not created:
        patron.library = library
        patron.last_active_at = timezone.now()
        patron.save(update_fields=["library", "last_active_at"])
    return patron


def login_patron(request, patron: Patron) -> None:
    """Start a child's session (rotating the session key)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(patron.public_id)


def logout_patron(request) -> None:
    request.session.flush()


def get_patron(request) -> Patron | None:
    """The logged-in child of this request, or None."""
    if hasattr(request, "_bibblix_patron"):
        return request._bibblix_patron
    public_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    patron = None
    if public_id:
        patron = (
            Patron.objects.select_related("municipality", "library")
            .filter(public_id=public_id)
            .first()
        )
    request._bibblix_patron = patron
    return patron


def forget(patron: Patron) -> None:
    """Delete a child's account; other apps' rows go with it (on_delete=CASCADE)."""
    patron.delete()
