"""Secrets at rest: a model field stored encrypted with a key from the environment.

`FIELD_ENCRYPTION_KEYS` holds one or more Fernet keys, comma-separated, newest first: the first
encrypts, every one of them decrypts (MultiFernet), so a key is rotated by putting a new one in
front, running `manage.py rotate_field_keys`, and then dropping the old one. A database dump
without the key holds no usable secret.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Stored values start with this tag, so clear text from before encryption (read by the migration
# that encrypts it) is told apart from a token.
PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def fernet() -> MultiFernet:
    """The MultiFernet of the configured keys (the first one encrypts)."""
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    """`text` as a stored value: empty stays empty (nothing to hide), the rest a tagged token."""
    if not text:
        return ""
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(stored: str) -> str:
    """The text of a stored value; untagged values are clear text from before encryption."""
    if not stored or not stored.startswith(PREFIX):
        return stored or ""
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS (a key was dropped "
            "before `manage.py rotate_field_keys` ran?)."
        ) from error


def rotate(stored: str) -> str:
    """`stored` re-encrypted with the first key (clear text gets encrypted)."""
    if not stored:
        return ""
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    return PREFIX + fernet().rotate(stored[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """Text kept encrypted in the database and clear in Python; cannot be searched or filtered."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value.startswith(PREFIX):
            return value
        return encrypt(value)
