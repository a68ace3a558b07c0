"""The SIP2 login provider: asks the library system about a card and PIN, maps the reply to an
outcome. Pure Python: the patrons app builds `ProviderSettings` from its LoginProvider row.

Outcomes: "ok", "invalid", "blocked", "not_child", "unavailable".
"""

import datetime
import threading
import time
from dataclasses import dataclass, field

from . import codec
from .client import Client, ClientConfig, Unavailable
from .pool import Pool

# Flags of the patron status field that mean the card may not borrow at all. Fines and overdue
# items do not stop a child from reading free e-books, so they are not here.
BLOCKING_FLAGS = frozenset({"charge privileges denied", "card reported lost"})


@dataclass(frozen=True)
class ProviderSettings:
    """A library's SIP2 set-up: where to connect and which cards may log in."""

    client: ClientConfig
    use_patron_status: bool = False  # 23/24 instead of 63/64, for systems without 63
    pool_size: int = 4
    allowed_patron_classes: frozenset[str] = field(default_factory=frozenset)
    patron_class_field: str = "PC"
    max_age: int | None = None
    birth_date_field: str = "PB"


@dataclass
class ConnectionReport:
    """What "Test connection" found: whether it worked, what, and how long it took."""

    ok: bool
    detail: str
    elapsed_ms: int
    protocol_version: str = ""
    institution_id: str = ""


def _normalise(card: str) -> str:
    return "".join(card.split()).upper()


def _age_on(birth_date: str, today: datetime.date) -> int | None:
    try:
        born = datetime.datetime.strptime(birth_date.strip()[:8], "%Y%m%d").date()
    except ValueError:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def outcome_for_reply(
    reply: codec.Message,
    card: str,
    settings: ProviderSettings,
    today: datetime.date | None = None,
) -> str:
    """Map a 64 or 24 reply to an outcome. A child is let in only when BL (valid patron) and
    CQ (valid patron password) are both "Y": a missing or blank CQ is a refusal, since some
    set-ups answer without checking the PIN, which would let made-up card numbers in."""
    answered_for = reply.get("AA")
    if answered_for is not None and _normalise(answered_for) != _normalise(card):
        raise Unavailable("reply about another card")
    if (reply.get("BL") or "").strip().upper() != "Y":
        return "invalid"
    if (reply.get("CQ") or "").strip().upper() != "Y":
        return "invalid"
    if reply.flags() & BLOCKING_FLAGS:
        return "blocked"
    if settings.allowed_patron_classes:
        patron_class = (reply.get(settings.patron_class_field) or "").strip()
        if patron_class not in settings.allowed_patron_classes:
            return "not_child"
    if settings.max_age is not None:
        birth_date = reply.get(settings.birth_date_field)
        age = _age_on(birth_date, today or datetime.date.today()) if birth_date else None
        # Only where the library system gives a birth date: without it there is nothing to check.
        if age is not None and age > settings.max_age:
            return "not_child"
    return "ok"


# --- pools, one per library ------------------------------------------------------------------

_pools: dict[str, tuple[ProviderSettings, Pool]] = {}
_pools_lock = threading.Lock()


def _connect_and_login(config: ClientConfig, deadline: float) -> Client:
    client = Client(config)
    client.connect(deadline)
    try:
        if config.sc_user:
            client.login(deadline)
    except BaseException:
        client.close()
        raise
    return client


def pool_for(name: str, settings: ProviderSettings) -> Pool:
    """The connection pool of library `name`; a changed set-up gets a new pool."""
    with _pools_lock:
        current = _pools.get(name)
        if current is not None and current[0] == settings:
            return current[1]
        if current is not None:
            current[1].close_all()
        pool = Pool(
            lambda deadline: _connect_and_login(settings.client, deadline),
            max_size=settings.pool_size,
        )
        _pools[name] = (settings, pool)
        return pool


def close_pools() -> None:
    """Close every pooled connection (tests, shutdown)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for _settings, pool in pools:
        pool.close_all()


def check_card(name: str, settings: ProviderSettings, card: str, pin: str) -> str:
    """Ask the library system whether `card` and `pin` may log in; "unavailable" when it does
    not answer well within the configured timeout."""
    deadline = time.monotonic() + settings.client.timeout

    def ask(client: Client) -> codec.Message:
        if settings.use_patron_status:
            return client.patron_status(card, pin, deadline)
        return client.patron_information(card, pin, deadline)

    try:
        reply = pool_for(name, settings).run(ask, deadline)
        return outcome_for_reply(reply, card, settings)
    except codec.FieldError:
        return "invalid"  # refused by the codec before a byte was sent
    except Unavailable:
        return "unavailable"


def try_connection(settings: ProviderSettings) -> ConnectionReport:
    """Connect, log in with the SIP account and ask the SC status, on a fresh connection."""
    started = time.monotonic()
    deadline = started + settings.client.timeout
    client = Client(settings.client)

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        client.connect(deadline)
        if settings.client.sc_user:
            client.login(deadline)
        status = client.sc_status(deadline)
    except (Unavailable, codec.FieldError) as error:
        return ConnectionReport(ok=False, detail=str(error), elapsed_ms=elapsed())
    finally:
        client.close()
    online = status.fixed.get("online_status") == "Y"
    return ConnectionReport(
        ok=online,
        detail="online" if online else "library system reports it is offline",
        elapsed_ms=elapsed(),
        protocol_version=status.fixed.get("protocol_version", ""),
        institution_id=status.get("AO") or "",
    )
