"""Bearer tokens for native apps: issued at login, stored hashed, short-lived, revocable.

Web pages keep the session cookie with CSRF; an app that sends `Authorization: Bearer <token>`
needs neither a cookie nor a CSRF token, since a browser never adds that header on its own.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from .models import AppToken, Patron


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(patron: Patron) -> tuple[str, datetime.datetime]:
    """A new token for `patron` and when it expires (APP_TOKEN_SECONDS); expired ones go."""
    now = timezone.now()
    AppToken.objects.filter(expires_at__lte=now).delete()
    token = secrets.token_urlsafe(32)
    expires_at = now + datetime.timedelta(seconds=settings.APP_TOKEN_SECONDS)
    AppToken.objects.create(patron=patron, token_hash=_hash(token), expires_at=expires_at)
    return token, expires_at


def patron_for_token(token: str) -> Patron | None:
    """The child a valid, unexpired token belongs to, or None."""
    if not token or len(token) > 100:
        return None
    row = (
        AppToken.objects.filter(token_hash=_hash(token), expires_at__gt=timezone.now())
        .select_related("patron")
        .first()
    )
    return row.patron if row else None


def revoke_token(token: str) -> bool:
    """Forget a token (logout on the app); False when it was unknown."""
    deleted, _rows = AppToken.objects.filter(token_hash=_hash(token)).delete()
    return bool(deleted)
