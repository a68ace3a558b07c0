"""A guardian's request to see or erase a child's data (GDPR articles 15 and 17).

Staff type the library card number; it is hashed with the same keyed hash as at login, so the
card is never stored or logged. Each app adds its rows to the export through the
`patron_data_requested` signal and erases them with the account (`forget`). Both are audited
without the card number.
"""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from .hashing import card_hash, normalise_card
from .models import Patron
from .retention import forget
from .signals import patron_data_requested

PERMISSION = "patrons.handle_data_request"


def find_patron(municipality, card: str) -> Patron | None:
    """The account of `card` in `municipality`, or None."""
    hashed = card_hash(municipality.municipality_code, normalise_card(card))
    return Patron.objects.filter(card_hash=hashed, municipality=municipality).first()


def _check(user) -> None:
    if not (user is not None and user.has_perm(PERMISSION)):
        raise PermissionDenied("Only the association handles data requests.")


def export_data(patron: Patron, by, reason: str) -> dict:
    """Everything Bibblix keeps about the child, as JSON-friendly data (audited)."""
    from bibblix.audit.services import record_change

    _check(by)
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "public_id": str(patron.public_id),
            "municipality": str(patron.municipality),
            "library": str(patron.library),
            "preferences": patron.preferences,
            "created_at": patron.created_at.isoformat(),
            "last_active_at": patron.last_active_at.isoformat(),
            "card": "stored only as a keyed hash; not recoverable",
        },
    }
    for _receiver, sections in patron_data_requested.send(sender=Patron, patron=patron):
        data.update(sections or {})
    record_change(
        by, "data exported", patron, reason=reason, municipality_id=patron.municipality_id
    )
    return data


def delete_data(patron: Patron, by, reason: str) -> None:
    """Erase the child's account and every row about it (audited, without the card)."""
    from bibblix.audit.services import record_change

    _check(by)
    record_change(by, "data deleted", patron, reason=reason, municipality_id=patron.municipality_id)
    forget(patron)
