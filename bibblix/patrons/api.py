"""The login flow as JSON, for the web app and native apps: POST and DELETE /api/v1/session.

Both use the same service as the login page (`services.log_in`). The session is Django's
session cookie; unsafe calls made with it need the CSRF token (header X-CSRFToken), which
POST /session returns.

Native apps send {"token": true} and get a short-lived bearer token instead (APP_TOKEN_SECONDS),
stored only as a hash; they send it as `Authorization: Bearer <token>` with no cookie and no CSRF
token, and DELETE /session with it revokes it.

POST /session has no session yet, so Django's CSRF check cannot guard it; instead it takes only
`application/json` (a form or `text/plain` post from another site is refused with 415, and a
JSON post from another site needs CORS, which Bibblix does not grant) and refuses a browser's
foreign Origin or Referer with 403. Native apps send JSON without either header. Otherwise a
site could log a child's browser into the attacker's account and watch what the child reads.
"""

import datetime
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from bibblix.lib.inputs import Id, Text
from bibblix.members import services as members

from . import services, tokens
from .auth import patron_auth

router = Router(tags=["patrons"])


class SessionIn(Schema):
    library: Id
    card: Text(services.MAX_CARD_INPUT)
    pin: Text(services.MAX_PIN_INPUT)
    # Native apps: true returns a bearer token instead of starting a cookie session.
    token: bool = False


class SessionOut(Schema):
    patron: str
    municipality: int
    library: int
    csrf_token: str | None = None
    token: str | None = None
    token_type: str | None = None
    expires_at: datetime.datetime | None = None


class Refusal(Schema):
    detail: str
    reason: str


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def _is_own_origin(request, origin: str) -> bool:
    if origin == f"{request.scheme}://{request.get_host()}".lower():
        return True
    # CSRF_TRUSTED_ORIGINS, with Django's "https://*.example.se" wildcards.
    return any(fnmatchcase(origin, trusted.lower()) for trusted in settings.CSRF_TRUSTED_ORIGINS)


def cross_site_refusal(request) -> Status | None:
    """415 for a body that is not JSON, 403 for a browser's foreign Origin or Referer."""
    if request.content_type != "application/json":
        detail = _("Log in from Bibblix's own pages or app.")
        return Status(415, Refusal(detail=detail, reason="content_type"))
    origin = request.headers.get("Origin")
    if origin is None and request.headers.get("Referer"):
        origin = _origin_of(request.headers["Referer"])
    if origin is not None and not _is_own_origin(request, origin.lower()):
        detail = _("Log in from Bibblix's own pages or app.")
        return Status(403, Refusal(detail=detail, reason="cross_site"))
    return None


@router.post(
    "/session",
    auth=None,
    response={
        201: SessionOut,
        401: Refusal,
        403: Refusal,
        415: Refusal,
        423: Refusal,
        429: Refusal,
        503: Refusal,
    },
)
def create_session(request, payload: SessionIn):
    """Log a child in with library, card number and PIN; 401 with the same friendly text for
    every refusal, 423 when the card is locked, 503 when the library system does not answer;
    403 or 415 for a call from another site (JSON only, no foreign Origin or Referer)."""
    refusal = cross_site_refusal(request)
    if refusal is not None:
        return refusal
    library = members.get_library(payload.library)
    if library is None:
        result = services.AuthResult(ok=False, reason="not_connected")
    else:
        log_in = services.log_in_app if payload.token else services.log_in
        result = log_in(request, library, payload.card, payload.pin)
    if not result.ok:
        return Status(
            services.http_status(result.reason),
            Refusal(detail=result.message, reason=result.reason),
        )
    patron = result.patron
    out = SessionOut(
        patron=str(patron.public_id), municipality=patron.municipality_id, library=patron.library_id
    )
    if payload.token:
        out.token, out.expires_at = tokens.issue_token(patron)
        out.token_type = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    else:
        out.csrf_token = get_token(request)
    return Status(201, out)


@router.delete("/session", auth=patron_auth, response={204: None})
def delete_session(request):
    """Log the child out on this device; with a bearer token, the token is revoked."""
    if getattr(request, "app_token", None):
        tokens.revoke_token(request.app_token)
        return Status(204, None)
    services.logout_patron(request)
    return HttpResponse(status=204, headers={"Clear-Site-Data": services.CLEAR_SITE_DATA})
