"""Brute-force guards for children's logins, counted by django-ratelimit in the shared cache.

- A card is locked for LOCK_SECONDS after CARD_FAILURES wrong PINs within a CARD_PERIOD window,
  keyed on the card's keyed hash (never the number). The child is told to ask at the library.
- An address (a school's network, say) that gets many refusals is slowed: refused for a while.
  The limit is high because a whole class may log in from one address.

Counters live in the cache: per process with the default memory cache, shared by every web
worker with REDIS_URL (production). django-ratelimit counts in fixed windows (staggered per key),
so the lock itself is a cache entry that lives a full LOCK_SECONDS from the failure that set it,
not just until the counting window ends.
"""

import ipaddress

from django.conf import settings
from django.core.cache import cache
from django_ratelimit.core import get_usage

CARD_FAILURES = 5
CARD_PERIOD = "15m"
LOCK_SECONDS = 15 * 60
ADDRESS_FAILURES = 30
ADDRESS_PERIOD = "10m"


def _card_usage(card_hash: str, *, increment: bool) -> dict:
    return get_usage(
        None,
        group="patrons.card",
        key=lambda group, request: card_hash,
        rate=f"{CARD_FAILURES}/{CARD_PERIOD}",
        increment=increment,
    )


def _lock_key(card_hash: str) -> str:
    return f"patrons:card-locked:{card_hash}"


def is_card_locked(card_hash: str) -> bool:
    """Whether the card has used up its wrong PINs for now."""
    return cache.get(_lock_key(card_hash)) is not None


def record_card_failure(card_hash: str) -> bool:
    """Count a wrong PIN for the card; True when that locks it (for LOCK_SECONDS)."""
    usage = _card_usage(card_hash, increment=True)
    if usage is None or usage["count"] < usage["limit"]:
        return False
    cache.set(_lock_key(card_hash), True, LOCK_SECONDS)
    return True


def client_address(group: str, request) -> str:
    """The address to count: behind a proxy, the last address in the header named by
    RATELIMIT_IP_META_KEY (the one our own proxy added: earlier ones are whatever the client
    claimed); IPv6 by /64, since one home or school gets a whole /64."""
    header = getattr(settings, "RATELIMIT_IP_META_KEY", None)
    raw = (request.META.get(header) if header else None) or request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw.split(",")[-1].strip())
    except ValueError:
        return "unknown"  # e.g. a Unix socket: all such requests share one counter
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def _address_usage(request, *, increment: bool) -> dict | None:
    return get_usage(
        request,
        group="patrons.address",
        key=client_address,
        rate=f"{ADDRESS_FAILURES}/{ADDRESS_PERIOD}",
        increment=increment,
    )


def is_address_slowed(request) -> bool:
    """Whether the request's address has had too many refused logins for now."""
    usage = _address_usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def record_address_failure(request) -> None:
    """Count a refused login for the request's address."""
    _address_usage(request, increment=True)
