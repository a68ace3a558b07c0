"""The client's address behind the documented TLS proxy, for login limits.

Only a proxy listed in TRUSTED_PROXIES (addresses or networks) is believed: its X-Forwarded-For
is read from the right, skipping our own proxies, and the first other address is the client.
Anything left of it is whatever the client claimed. Without a trusted proxy in front, the
connection's own address counts, so a forged header changes nothing.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind trusted proxies the forwarded one."""
    remote = request.META.get("REMOTE_ADDR", "")
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
