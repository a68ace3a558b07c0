"""Brute-force guards for children's logins, counted in the shared cache.

- A card is locked for LOCK_SECONDS after CARD_FAILURES wrong PINs within CARD_PERIOD_SECONDS,
  keyed on the card's keyed hash (never the number). The child is told to ask at the library.
- An address (a school's network, say) that gets many refusals is slowed: refused for a while.
  The limit is high because a whole class may log in from one address.

Every attempt is *reserved* before the PIN is checked (an atomic cache add/incr, atomic in Redis
and in the memory cache) and given back when it turns out not to be a failure. Checking first
and counting afterwards would let any number of parallel requests past the limit while the
library system is still answering the first ones.

Counters live in the cache: per process with the default memory cache, shared by every web
worker with REDIS_URL (production). A counting window starts at the first attempt; the lock itself
is a cache entry that lives a full LOCK_SECONDS from the failure that set it, not just until the
counting window ends.
"""

import contextlib
import ipaddress

from django.core.cache import cache

from bibblix.lib.client_address import client_ip

CARD_FAILURES = 5
CARD_PERIOD_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
ADDRESS_FAILURES = 30
ADDRESS_PERIOD_SECONDS = 10 * 60


def _reserve(key: str, period: int) -> int:
    """Add one to the counter `key` (a window of `period` seconds from its first count) and
    return the new count; atomic, so parallel requests each get their own number."""
    for _attempt in range(3):
        if cache.add(key, 1, period):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            continue  # the window ended between add and incr: start a new one
    return cache.incr(key)


def _give_back(key: str) -> None:
    """Take back one count reserved with _reserve (the attempt was not a failure)."""
    with contextlib.suppress(ValueError):  # the window has ended: nothing left to give back
        cache.decr(key)


def _card_key(card_hash: str) -> str:
    return f"patrons:card-attempts:{card_hash}"


def _lock_key(card_hash: str) -> str:
    return f"patrons:card-locked:{card_hash}"


def is_card_locked(card_hash: str) -> bool:
    """Whether the card has used up its wrong PINs for now."""
    return cache.get(_lock_key(card_hash)) is not None


def _lock(card_hash: str) -> None:
    cache.set(_lock_key(card_hash), True, LOCK_SECONDS)


def reserve_card_attempt(card_hash: str) -> int | None:
    """Reserve one PIN check for the card before making it: the attempt's number in the
    window, or None when the card is locked (also when this attempt is one too many)."""
    if is_card_locked(card_hash):
        return None
    number = _reserve(_card_key(card_hash), CARD_PERIOD_SECONDS)
    if number > CARD_FAILURES:
        _lock(card_hash)
        return None
    return number


def settle_card_attempt(card_hash: str, number: int, *, failed: bool) -> bool:
    """Settle a reserved attempt: a wrong PIN keeps its count, anything else gives it back.
    True when this wrong PIN was the last one allowed, which locks the card."""
    if not failed:
        _give_back(_card_key(card_hash))
        return False
    if number >= CARD_FAILURES:
        _lock(card_hash)
        return True
    return False


def client_address(group: str, request) -> str:
    """The address to count: the client's, found as for staff logins (lib/client_address.py:
    behind a proxy in TRUSTED_PROXIES, the one it forwarded; otherwise the connection's own);
    IPv6 by /64, since one home or school gets a whole /64."""
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return "unknown"  # e.g. a Unix socket: all such requests share one counter
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _address_key(request) -> str:
    return f"patrons:address-attempts:{client_address('patrons.address', request)}"


def reserve_address_attempt(request) -> bool:
    """Reserve one login attempt for the request's address; False when the address has had
    too many refused logins for now (the reservation is then given back)."""
    key = _address_key(request)
    if _reserve(key, ADDRESS_PERIOD_SECONDS) > ADDRESS_FAILURES:
        _give_back(key)
        return False
    return True


def settle_address_attempt(request, *, failed: bool) -> None:
    """Settle a reserved attempt: a refused login keeps its count, anything else gives it back."""
    if not failed:
        _give_back(_address_key(request))


def is_address_slowed(request) -> bool:
    """Whether the request's address has had too many refused logins for now (a read only:
    to guard a login, reserve the attempt with reserve_address_attempt)."""
    return (cache.get(_address_key(request)) or 0) >= ADDRESS_FAILURES
