"""Public functions for children's accounts. Card numbers and PINs never leave this app."""

import hashlib
import hmac
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bibblix.lib.rows import get_row
from bibblix.usage import services as usage

from . import lockout, tokens
from .hashing import attempt_card, card_hash, normalise_card
from .models import LocalCard, LoginProvider, Patron
from .providers import local as local_provider
from .providers.sip2 import provider as sip2_provider
from .providers.sip2.client import ClientConfig
from .retention import (  # noqa: F401  (re-exported: the public functions of patrons)
    forget,
    municipalities_with_accounts,
    record_activity,
    retire_inactive_accounts,
)
from .signals import patron_data_requested  # noqa: F401  (re-exported: apps add to exports)

SESSION_KEY = "bibblix_patron"
logger = logging.getLogger(__name__)

__all__ = ["card_hash", "normalise_card"]

# What a child reads for each refusal. "invalid" never says whether card or PIN was wrong.
REASON_TEXT = {
    "invalid": _("Wrong library card number or PIN. Try again!"),
    "blocked": _("Your card cannot be used right now. Ask at your library, they will help you."),
    "not_child": _("Bibblix is for children. Ask at your library about a child's card."),
    "not_connected": _(
        "Your library is not part of Bibblix right now. You can still try some books without "
        "a library card!"
    ),
    "locked": _(
        "Your card is locked for a little while because the PIN was wrong too many times. "
        "Ask at your library and they will help you, or try again later."
    ),
    "unavailable": _(
        "The library's system is not answering right now. Try again in a little while!"
    ),
    "slowed": _(
        "There have been very many login tries from here. Wait a few minutes and try again."
    ),
}


def http_status(reason: str) -> int:
    """The HTTP status for a login outcome, the same for the web page and the API."""
    return {"ok": 201, "locked": 423, "unavailable": 503, "slowed": 429}.get(reason, 401)


@dataclass
class AuthResult:
    ok: bool
    patron: Patron | None = None
    # "ok", "invalid", "blocked", "not_child", "not_connected", "locked", "unavailable",
    # and from log_in() and log_in_basic() also "slowed" (too many refusals from one address).
    reason: str = ""

    @property
    def message(self) -> str:
        return str(REASON_TEXT.get(self.reason, "")) if not self.ok else ""


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
    return local_provider.add_card(
        library, card, pin, is_blocked=is_blocked, is_child=is_child, pin_hash=pin_hash
    )


def check_local_card(library, card: str, pin: str) -> str:
    """Check card and PIN against the local register: 'ok', 'invalid', 'blocked' or 'not_child'."""
    return local_provider.check_card(library, card, pin)


# --- login providers -------------------------------------------------------------------------


def login_provider_for(library) -> LoginProvider:
    """The library's login provider; an unsaved local one when staff have set none."""
    provider = LoginProvider.objects.filter(library=library).first()
    return provider or LoginProvider(library=library, kind=LoginProvider.Kind.LOCAL)


def _allowed_networks() -> tuple[str, ...]:
    networks = tuple(getattr(settings, "SIP2_ALLOWED_NETWORKS", ()))
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"SIP2_ALLOWED_NETWORKS: {network!r} is no network"
            ) from error
    return networks


def sip2_settings(provider: LoginProvider) -> sip2_provider.ProviderSettings:
    """The pure SIP2 provider's settings for a LoginProvider row."""
    return sip2_provider.ProviderSettings(
        client=ClientConfig(
            host=provider.host,
            port=provider.port,
            use_tls=provider.use_tls,
            verify_tls=provider.verify_tls,
            timeout=min(provider.timeout_seconds, 5.0),
            sc_user=provider.sc_user,
            sc_password=provider.sc_password,
            location_code=provider.location_code,
            institution_id=provider.institution_id,
            terminal_password=provider.terminal_password,
            encoding=provider.encoding,
            error_detection=provider.error_detection,
            allowed_networks=_allowed_networks(),
        ),
        use_patron_status=provider.message == LoginProvider.Message.PATRON_STATUS,
        # Per process: every web worker has a pool of its own (settings.SIP2_POOL_SIZE).
        pool_size=min(provider.pool_size, settings.SIP2_POOL_SIZE),
        allowed_patron_classes=provider.patron_classes,
        patron_class_field=provider.patron_class_field,
        max_age=provider.max_age,
        birth_date_field=provider.birth_date_field,
    )


def check_card(library, card: str, pin: str) -> str:
    """Ask the library's own provider about card and PIN; an outcome string, no lockout."""
    provider = login_provider_for(library)
    # Refused, not cleaned: a card or PIN outside the library's format never reaches its system.
    if not provider.accepts_card(normalise_card(card)) or not provider.accepts_pin(pin):
        return "invalid"
    if provider.kind == LoginProvider.Kind.SIP2:
        return sip2_provider.check_card(
            f"library-{library.pk}", sip2_settings(provider), normalise_card(card), pin
        )
    return local_provider.check_card(library, card, pin)


def check_connection(provider: LoginProvider) -> sip2_provider.ConnectionReport:
    """Staff's "Test connection": log in to the library system and ask its status. A failure's
    detail (refused, timed out, garbled, address not allowed) goes to the log only."""
    if provider.kind != LoginProvider.Kind.SIP2:
        count = LocalCard.objects.filter(library=provider.library).count()
        detail = _("local card register with %(count)d cards") % {"count": count}
        return sip2_provider.ConnectionReport(ok=True, detail=str(detail), elapsed_ms=0)
    report = sip2_provider.try_connection(sip2_settings(provider))
    if not report.ok:
        logger.warning(
            "SIP2 connection test failed library=%s detail=%s ms=%d",
            provider.library_id,
            report.detail,
            report.elapsed_ms,
        )
    return report


@transaction.atomic
def set_login_provider(library, kind: str, **fields) -> LoginProvider:
    """Create or change a library's login provider (validated like the staff form)."""
    provider = login_provider_for(library)
    provider.kind = kind
    for name, value in fields.items():
        setattr(provider, name, value)
    provider.full_clean()
    provider.save()
    return provider


# --- logging in ------------------------------------------------------------------------------


# Entry limits of the session API (422 beyond); the login page and OPDS Basic have their own.
# The library's format (LoginProvider.card_max_length, pin_max_length) is narrower still.
MAX_CARD_INPUT = 40
MAX_PIN_INPUT = 16


def authenticate(library, card: str, pin: str) -> AuthResult:
    """Ask the library's login provider whether card and PIN are valid; on success return the
    patron (created on first login). Only libraries of connected municipalities let anyone in,
    and a card with too many wrong PINs is locked for a while."""
    from bibblix.members import services as members

    if not library.is_active or not members.is_connected(library.municipality):
        return AuthResult(ok=False, reason="not_connected")
    if not attempt_card(card) or not pin:
        return AuthResult(ok=False, reason="invalid")
    # Every attempt counts against the normalised card, also one the format check refuses (too
    # long, a "|" or NUL in it: check_card refuses it before the library system is asked).
    hashed = card_hash(library.municipality.municipality_code, attempt_card(card))
    # Reserved before the check, so parallel requests cannot all get past the limit.
    attempt = lockout.reserve_card_attempt(hashed)
    if attempt is None:
        return AuthResult(ok=False, reason="locked")
    started = time.monotonic()
    outcome = "unavailable"
    try:
        outcome = check_card(library, card, pin)
    finally:
        locked = lockout.settle_card_attempt(hashed, attempt, failed=outcome == "invalid")
    logger.info(
        "card login library=%s outcome=%s ms=%d",
        library.pk,
        outcome,
        (time.monotonic() - started) * 1000,
    )
    if outcome in LOGIN_EVENT:
        usage.record_quietly(
            LOGIN_EVENT[outcome], municipality_id=library.municipality_id, library_id=library.pk
        )
    if locked or outcome in ("invalid", "blocked", "not_child"):
        forget_card_checks(hashed)
    if locked:
        return AuthResult(ok=False, reason="locked")
    if outcome != "ok":
        return AuthResult(ok=False, reason=outcome)
    patron = patron_for_card(library, card)
    usage.record_quietly(
        usage.Kind.LOGIN,
        municipality_id=library.municipality_id,
        library_id=library.pk,
        reader_id=patron.pk,
    )
    return AuthResult(ok=True, patron=patron, reason="ok")


# Refused logins in the anonymous usage log, per library, for the review of libraries: the
# library system's answer "no" and its silence (down or too slow) count apart.
LOGIN_EVENT = {
    "invalid": usage.Kind.LOGIN_FAILED,
    "blocked": usage.Kind.LOGIN_FAILED,
    "not_child": usage.Kind.LOGIN_FAILED,
    "unavailable": usage.Kind.LOGIN_TIMEOUT,
}


def log_in(request, library, card: str, pin: str) -> AuthResult:
    """The web page's and the API's login: slow a busy address, authenticate, start a session."""
    result = _authenticate_from_address(request, library, card, pin)
    if result.ok:
        login_patron(request, result.patron)
    return result


def log_in_app(request, library, card: str, pin: str) -> AuthResult:
    """A native app's login: the same checks and slowdown as the page, but no session; the
    caller issues a bearer token (patrons.tokens) for result.patron."""
    return _authenticate_from_address(request, library, card, pin)


def authenticate_app_token(request, token: str) -> Patron | None:
    """The child of a bearer token, for this request; None when the token is unknown or expired
    or the municipality is no longer connected."""
    patron = tokens.patron_for_token(token)
    if patron is not None and patron.municipality_id not in connected_municipality_ids():
        patron = None
    request._bibblix_patron = patron
    return patron


def log_in_basic(request, library, card: str, pin: str) -> AuthResult:
    """Log in with credentials sent on every request (OPDS Basic auth), without a session:
    a successful check is remembered for OPDS_CARD_CHECK_SECONDS in the shared cache, keyed by
    a keyed hash of library, card and PIN (never the card itself), so a reading app's next
    requests neither call the library system nor write a session row (only a real check starts
    a session, for apps that keep the cookie). A wrong PIN, a lockout
    or a logout of that card forgets it at once. Otherwise the same address slowdown as the
    login page (reason "slowed")."""
    hashed = card_hash(library.municipality.municipality_code, card) if card else ""
    key = _card_check_key(library, hashed, pin) if hashed and pin else None
    public_id = cache.get(key) if key else None
    if public_id and not lockout.is_card_locked(hashed):
        patron = get_row(Patron, "public_id", public_id)
        if patron is not None and patron.municipality_id in connected_municipality_ids():
            request._bibblix_patron = patron
            return AuthResult(ok=True, patron=patron, reason="ok")
    result = log_in(request, library, card, pin)  # a real check starts a session, as before
    if result.ok and key:
        cache.set(key, str(result.patron.public_id), settings.OPDS_CARD_CHECK_SECONDS)
    return result


def _card_check_key(library, hashed_card: str, pin: str) -> str:
    generation = cache.get(f"card-check-generation:{hashed_card}", 0)
    message = f"{library.pk}:{hashed_card}:{pin}:{generation}".encode()
    digest = hmac.new(settings.CARD_HASH_KEY.encode(), message, hashlib.sha256).hexdigest()
    return f"card-check:{digest}"


def forget_card_checks(hashed_card: str) -> None:
    """Forget every remembered Basic-auth check of this card (wrong PIN, lockout, logout)."""
    key = f"card-check-generation:{hashed_card}"
    if not cache.add(key, 1, None):
        try:
            cache.incr(key)
        except ValueError:  # evicted in between
            cache.set(key, 1, None)


def session_patron_for_card(request, library, card: str | None) -> Patron | None:
    """The child logged in on this session if it is `library`'s municipality's child and,
    when `card` is given, that card's holder: spares a PIN check on every request."""
    patron = get_patron(request)
    if patron is None or patron.municipality_id != library.municipality_id:
        return None
    if card is None:
        return patron
    hashed = card_hash(library.municipality.municipality_code, card)
    return patron if hmac.compare_digest(hashed, patron.card_hash) else None


def _authenticate_from_address(request, library, card: str, pin: str) -> AuthResult:
    # The address's attempt is reserved before the check, like the card's.
    if not lockout.reserve_address_attempt(request):
        return AuthResult(ok=False, reason="slowed")
    result = AuthResult(ok=False, reason="unavailable")
    try:
        result = authenticate(library, card, pin)
    finally:
        lockout.settle_address_attempt(request, failed=result.reason in {"invalid", "locked"})
    return result


@transaction.atomic
def patron_for_card(library, card: str) -> Patron:
    """The patron for a card that the library system has accepted (created on first login)."""
    municipality = library.municipality
    patron, created = Patron.objects.get_or_create(
        card_hash=card_hash(municipality.municipality_code, card),
        defaults={"municipality": municipality, "library": library},
    )
    if created:
        usage.record_quietly(
            usage.Kind.NEW_READER, municipality_id=municipality.pk, library_id=library.pk
        )
    else:  # a login is activity (retention counts from it)
        patron.library = library
        patron.last_active_at = timezone.now()
        patron.save(update_fields=["library", "last_active_at"])
    return patron


def login_patron(request, patron: Patron) -> None:
    """Start a child's session (rotating the session key)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = str(patron.public_id)
    _remember_child(request, patron)
    request._bibblix_patron = patron


# Sent with every logout: the browser drops the pages it cached for the child. Not "storage": it
# would also forget the device's municipality (the one-tap login for the next child); the child's
# own storage (positions, settings, offline books) is cleared by reader/logout-purge.js, on the
# logout form and on the next page, where nobody is logged in.
CLEAR_SITE_DATA = '"cache"'


def device_key(patron: Patron | None) -> str:
    """A short, stable name for the child's data in the browser (storage keys, offline books):
    a keyed hash of the public id, so nothing in the browser names the child."""
    if patron is None:
        return ""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"device:{patron.public_id}".encode(), "sha256")
    return digest.hexdigest()[:16]


def logout_patron(request) -> None:
    """End the child's session on this device (and forget the card's Basic-auth checks)."""
    patron = get_patron(request)
    if patron is not None:
        forget_card_checks(patron.card_hash)
    request.session.flush()
    request._bibblix_patron = None


def get_patron(request) -> Patron | None:
    """The logged-in child of this request, or None. A session outlives no connection: when
    the municipality's connection has ended, the child is no longer logged in."""
    if hasattr(request, "_bibblix_patron"):
        return request._bibblix_patron
    public_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    patron = None
    if public_id:
        # Every logged-in request asks: one lean read by the unique public id (bibblix.lib.rows);
        # the municipality and library load only where a page needs them.
        try:
            patron = get_row(Patron, "public_id", public_id)
        except ValidationError:  # not a UUID: a tampered or ancient session
            patron = None
        if patron is not None and patron.municipality_id not in connected_municipality_ids():
            patron = None
        if patron is not None:
            _remember_child(request, patron)
    request._bibblix_patron = patron
    return patron


# The child's id and municipality beside their public id in the session (`session_child`): a
# session made before this, or by another writer of SESSION_KEY, gets them on its next read.
SESSION_CHILD_KEY = "bibblix_child"


def _remember_child(request, patron: Patron) -> None:
    remembered = [str(patron.public_id), patron.pk, patron.municipality_id]
    if request.session.get(SESSION_CHILD_KEY) != remembered:
        request.session[SESSION_CHILD_KEY] = remembered


def session_child(request) -> int | None:
    """The logged-in child's id from the session alone (no query), or None when the session
    does not say or the child's municipality is not connected today. The row is not read: use
    this only where a cached page of the child is served (lib/page_cache.child_page), which also
    refuses a child whose account was deleted (`page_cache.child_gone`, sent on every delete)."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    public_id = session.get(SESSION_KEY)
    remembered = session.get(SESSION_CHILD_KEY)
    if not public_id or not isinstance(remembered, list) or len(remembered) != 3:
        return None
    remembered_id, pk, municipality_id = remembered
    if remembered_id != public_id or municipality_id not in connected_municipality_ids():
        return None
    return pk


def connected_municipality_ids() -> frozenset[int]:
    """Ids of the municipalities connected today: the member register's one cached answer."""
    from bibblix.members import services as members

    return members.connected_municipality_ids()
