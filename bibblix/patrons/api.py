"""The login flow as JSON, for the web app and native apps: POST and DELETE /api/v1/session.

Both use the same service as the login page (`services.log_in`). The session is Django's
session cookie; unsafe calls made with it need the CSRF token (header X-CSRFToken), which
POST /session returns.
"""

from django.middleware.csrf import get_token
from ninja import Router, Schema, Status

from bibblix.members import services as members

from . import services
from .auth import patron_auth

router = Router(tags=["patrons"])


class SessionIn(Schema):
    library: int
    card: str
    pin: str


class SessionOut(Schema):
    patron: str
    municipality: int
    library: int
    csrf_token: str


class Refusal(Schema):
    detail: str
    reason: str


@router.post(
    "/session",
    auth=None,
    response={201: SessionOut, 401: Refusal, 423: Refusal, 429: Refusal, 503: Refusal},
)
def create_session(request, payload: SessionIn):
    """Log a child in with library, card number and PIN; 401 with the same friendly text for
    every refusal, 423 when the card is locked, 503 when the library system does not answer."""
    library = members.get_library(payload.library)
    if library is None:
        result = services.AuthResult(ok=False, reason="not_connected")
    else:
        result = services.log_in(request, library, payload.card[:32], payload.pin[:16])
    if not result.ok:
        return Status(
            services.http_status(result.reason),
            Refusal(detail=result.message, reason=result.reason),
        )
    patron = result.patron
    return Status(
        201,
        SessionOut(
            patron=str(patron.public_id),
            municipality=patron.municipality_id,
            library=patron.library_id,
            csrf_token=get_token(request),
        ),
    )


@router.delete("/session", auth=patron_auth, response={204: None})
def delete_session(request):
    """Log the child out on this device."""
    services.logout_patron(request)
    return Status(204, None)
