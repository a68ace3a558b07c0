"""A child's library card over HTTP Basic, described by Authentication for OPDS 1.0 documents.

Card numbers belong to one library (the same number can exist in two municipalities), so each
library is its own catalogue provider with its own Authentication Document: reader apps keep
credentials per document `id`, and one shared document would let an app send Ale's card to
Borås. Card numbers and PINs are never logged, stored or echoed back.
"""

import base64
import binascii

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from bibblix.members import services as members
from bibblix.patrons import services as patrons

from . import links as L

BASIC = "http://opds-spec.org/auth/basic"
_REFUSED = {"blocked", "not_child", "locked"}


def basic_flow() -> dict:
    return {
        "type": BASIC,
        "labels": {"login": _("Library card number"), "password": _("PIN")},
    }


def library_document(request: HttpRequest, library) -> dict:
    """The Authentication Document of one library's catalogue."""
    root = f"/opds/v2/libraries/{library.pk}/"
    return {
        "id": request.build_absolute_uri(f"/opds/libraries/{library.pk}/auth"),
        "title": f"Bibblix – {library}",
        "description": _("Log in with your library card number and PIN."),
        "links": [
            {"rel": "help", "href": request.build_absolute_uri("/"), "type": "text/html"},
            {"rel": "start", "href": request.build_absolute_uri(root), "type": L.OPDS2},
            {
                "rel": "start",
                "href": request.build_absolute_uri(f"/opds/v1/libraries/{library.pk}/"),
                "type": L.ATOM_NAVIGATION,
            },
        ],
        "authentication": [basic_flow()],
    }


def service_document(request: HttpRequest) -> dict:
    """Bibblix as a whole: how to log in, and where to choose the library whose card it is."""
    return {
        "id": request.build_absolute_uri("/opds/auth"),
        "title": "Bibblix",
        "description": _("Choose your library, then log in with your library card number and PIN."),
        "links": [
            {"rel": "help", "href": request.build_absolute_uri("/"), "type": "text/html"},
            {
                "rel": "start",
                "href": request.build_absolute_uri("/opds/v2/libraries/"),
                "type": L.OPDS2,
                "title": _("Choose library"),
            },
            {
                "rel": "start",
                "href": request.build_absolute_uri("/opds/v1/libraries/"),
                "type": L.ATOM_NAVIGATION,
                "title": _("Choose library"),
            },
        ],
        "authentication": [basic_flow()],
    }


def document_response(document: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(document, status=status, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = f"{L.AUTH_DOCUMENT}; charset=utf-8"
    return response


MAX_BASIC_VALUE = 100


def basic_credentials(request: HttpRequest) -> tuple[str, str] | None:
    """(card, PIN) from an `Authorization: Basic` header, or None."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    # A card and PIN never need more than a hundred characters: a longer header is no card.
    if scheme.lower() != "basic" or not value or len(value) > MAX_BASIC_VALUE:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    card, sep, pin = decoded.partition(":")
    return (card, pin) if sep and card else None


def challenge(request: HttpRequest, library) -> HttpResponse:
    """401 with the library's Authentication Document (section 2.4), a Basic challenge for the
    many apps that only know that, and the document's location in a Link header."""
    response = document_response(library_document(request, library), status=401)
    realm = f"Bibblix {library}".replace('"', "")
    response["WWW-Authenticate"] = f'Basic realm="{realm}", charset="UTF-8"'
    response["Link"] = (
        f"<{request.build_absolute_uri(f'/opds/libraries/{library.pk}/auth')}>; "
        f'rel="{L.AUTH_DOCUMENT_REL}"; type="{L.AUTH_DOCUMENT}"'
    )
    response["Cache-Control"] = "no-store"
    return response


def authenticate_child(request: HttpRequest, library) -> tuple[object | None, HttpResponse | None]:
    """(patron, None) when the request carries this library's valid card, else (None, the
    response to send: 401 challenge, 403 refused card, 503 login service down)."""
    credentials = basic_credentials(request)
    # The child already logged in on this session (and, when a card is sent, its holder):
    # spares a slow PIN check on every feed. Card identities are compared inside patrons.
    card = credentials[0] if credentials else None
    patron = patrons.session_patron_for_card(request, library, card)
    if patron is not None:
        return patron, None
    if credentials is None:
        return None, challenge(request, library)
    # The same card lockout and per-address slowdown as the login page and the API.
    result = patrons.log_in_basic(request, library, *credentials)
    if result.ok:
        return result.patron, None
    if result.reason == "slowed":
        response = JsonResponse({"detail": result.message, "reason": result.reason}, status=429)
        response["Retry-After"] = "600"
        return None, response
    if result.reason in _REFUSED:
        detail = _("This card cannot borrow e-books here. Ask at your library.")
        return None, JsonResponse({"detail": detail, "reason": result.reason}, status=403)
    if result.reason == "unavailable":
        detail = _("The library's login service does not answer. Try again in a while.")
        response = JsonResponse({"detail": detail, "reason": result.reason}, status=503)
        response["Retry-After"] = "60"
        return None, response
    return None, challenge(request, library)


def connected_library(library_id: int):
    """The library if its municipality is connected today, else None."""
    return members.connected_libraries().filter(pk=library_id).first()
