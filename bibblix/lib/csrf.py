"""Django's CSRF token for a cached page, made from one read of the system's random source.

Django makes a visitor's new secret and every page's mask with `get_random_string`: one
`secrets.choice`, so one `os.urandom` system call, per character. A first visit costs 64 calls
(secret and mask), a returning visitor's page 32: 54 µs of the 415 µs of CPU a cached page cost
in process (docs/performance.md). The cached pages (`page_cache`) ask for their token here
instead: the same token (a 32-character secret from Django's alphabet, masked with a fresh
32-character mask, exactly as `django.middleware.csrf.get_token` does, and kept in
`request.META` the way Django's middleware reads it back), with the random characters drawn
from one `os.urandom` read by rejection sampling, so each character is still uniform over the
62 letters. `test_csrf_tokens.py` checks that Django's middleware accepts these tokens.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHARS = CSRF_ALLOWED_CHARS
_INDEX = {char: index for index, char in enumerate(_CHARS)}
# Bytes at or above this are dropped: 248 = 4 × 62, so byte % 62 is uniform below it.
_LIMIT = 256 - 256 % len(_CHARS)


def random_string(length: int) -> str:
    """`length` characters, each uniform over Django's CSRF alphabet, from os.urandom."""
    chosen: list[str] = []
    while len(chosen) < length:
        # 3 % of bytes are dropped: a few spare ones make a second read very rare.
        for byte in os.urandom(length - len(chosen) + 8):
            if byte < _LIMIT:
                chosen.append(_CHARS[byte % len(_CHARS)])
                if len(chosen) == length:
                    break
    return "".join(chosen)


def get_token(request) -> str:
    """The masked CSRF token for `request`, as `django.middleware.csrf.get_token` gives it: the
    visitor's secret from the cookie (Django's middleware put it in `CSRF_COOKIE`) or a new one,
    which the middleware then sends as the cookie (`CSRF_COOKIE_NEEDS_UPDATE`)."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_string(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    # As Django does: the cookie is sent again whenever a token is used (renews its expiry).
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_string(CSRF_SECRET_LENGTH)
    cipher = "".join(
        _CHARS[(_INDEX[x] + _INDEX[y]) % len(_CHARS)] for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher
