"""The client's address behind the documented TLS proxy: the one way every login limit finds it
(staff logins through django-axes, children's card logins through patrons.lockout).

Only a proxy listed in TRUSTED_PROXIES (addresses or networks) is believed: its X-Forwarded-For
is read from the right, skipping our own proxies, and the first other address is the client.
Anything left of it is whatever the client claimed. Without a trusted proxy in front, the
connection's own address counts, so a forged header changes nothing.

RATELIMIT_IP_META_KEY, the children's logins' older setting (the request header with the client
address, e.g. HTTP_X_FORWARDED_FOR), still works as a deprecated alias: when TRUSTED_PROXIES is
empty, the last address in that header counts, from whatever peer sent it, as it always did;
with TRUSTED_PROXIES set it is ignored. `check_settings` warns either way.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core import checks


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def _legacy_header() -> str | None:
    """The deprecated RATELIMIT_IP_META_KEY, when it still decides (no TRUSTED_PROXIES)."""
    if settings.TRUSTED_PROXIES:
        return None
    return getattr(settings, "RATELIMIT_IP_META_KEY", None) or None


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the forwarded one."""
    remote = request.META.get("REMOTE_ADDR", "")
    if header := _legacy_header():
        # Deprecated: the last address in the header (the one the proxy added), from any peer.
        last = (request.META.get(header) or "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(last))
        except ValueError:
            return remote
    if not _is_trusted(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a garbled header: count the proxy rather than trust it
    return remote


def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: RATELIMIT_IP_META_KEY is deprecated in favour of TRUSTED_PROXIES."""
    if not getattr(settings, "RATELIMIT_IP_META_KEY", None):
        return []
    if settings.TRUSTED_PROXIES:
        return [
            checks.Warning(
                "RATELIMIT_IP_META_KEY is ignored: TRUSTED_PROXIES decides whose "
                "X-Forwarded-For is believed, for staff and children's logins alike.",
                hint="Remove RATELIMIT_IP_META_KEY.",
                id="bibblix.W001",
            )
        ]
    return [
        checks.Warning(
            "RATELIMIT_IP_META_KEY is deprecated: its header is believed from any peer, so a "
            "client that reaches Bibblix without the proxy can claim any address.",
            hint="Set TRUSTED_PROXIES to the proxy's addresses (docs/security.md) and remove "
            "RATELIMIT_IP_META_KEY.",
            id="bibblix.W002",
        )
    ]
