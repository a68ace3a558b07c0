"""Public functions of the reader: who may open a book, and short-lived signed resource URLs.

A token binds one resource ("epub" for the whole file, "pub" for the entries listed in the
Readium manifest) to a book, a loan and the patron's public id. It is valid for a few minutes
(`READER_URL_SECONDS`, default 300) and, more importantly, only while the loan is active: every
request checks the loan again, so a returned or expired loan stops working on the next request.
The signed token is then encrypted (Fernet, keyed from SECRET_KEY), so a URL in a proxy log or a
browser history does not show which child (public id) reads which book.
"""

import base64
import functools
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from bibblix.catalogue import services as catalogue
from bibblix.lending import services as lending

SALT = "bibblix.reader.resource"
RESOURCES = {"epub", "pub"}


def url_seconds() -> int:
    """How long a signed resource URL stays valid, in seconds."""
    return int(getattr(settings, "READER_URL_SECONDS", 300))


def object_url_seconds() -> int:
    """How long a presigned object-storage URL (given only after the loan check) stays valid."""
    return int(getattr(settings, "READER_OBJECT_URL_SECONDS", 60))


class AccessDenied(Exception):
    """A token or request that does not give access; `status` is 403 or 410 (loan ended)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class Access:
    """Why a visitor may read a book: through a loan, or because the book is free to try."""

    book: object
    loan: object | None = None

    @property
    def due_at(self):
        return self.loan.due_at if self.loan else None


def find_access(patron, book) -> Access | None:
    """The visitor's access to `book`: their active loan, free to try, or None."""
    # The same rule as the children's pages: a hidden book does not open even with a loan.
    if not catalogue.is_visible_to_children(book):
        return None
    if patron is not None:
        loan = lending.active_loans(patron).filter(book=book).first()
        if loan is not None:
            return Access(book=book, loan=loan)
    if book.is_free_to_try:
        return Access(book=book)
    return None


def sign(resource: str, loan, book=None) -> str:
    """A token for `resource` of the loan's book (or of a free-to-try `book` when loan is None)."""
    if resource not in RESOURCES:
        raise ValueError(f"unknown resource {resource!r}")
    if loan is not None:
        payload = {"r": resource, "b": loan.book_id, "l": loan.pk, "p": str(loan.patron.public_id)}
    else:
        payload = {"r": resource, "b": book.pk, "l": None, "p": None}
    signed = signing.TimestampSigner(salt=SALT).sign_object(payload)
    return _fernet().encrypt(signed.encode()).decode().rstrip("=")


def _fernet() -> Fernet:
    # A key of its own, derived from SECRET_KEY: rotating SECRET_KEY rotates it too.
    return _fernet_for(settings.SECRET_KEY)


@functools.lru_cache(maxsize=2)
def _fernet_for(secret_key: str) -> Fernet:
    # Derived once per key, not for every signed URL of a reader page.
    key = salted_hmac(SALT, "fernet-key", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _decrypt(token: str) -> str:
    padded = token + "=" * (-len(token) % 4)
    try:
        return _fernet().decrypt(padded.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise AccessDenied(403, "bad-signature") from exc


def sign_access(resource: str, access: Access) -> str:
    """A token for `resource` under `access` (a loan or free to try)."""
    return sign(resource, access.loan, book=access.book)


def serve(resource: str, token: str, patron=None, book_id: int | None = None) -> Access:
    """Check `token` for `resource` on this request: signature, age, the patron and the loan."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            _decrypt(token), max_age=url_seconds()
        )
    except signing.SignatureExpired as exc:
        raise AccessDenied(403, "expired") from exc
    except signing.BadSignature as exc:
        raise AccessDenied(403, "bad-signature") from exc
    if payload.get("r") != resource or (book_id is not None and payload.get("b") != book_id):
        raise AccessDenied(403, "wrong-resource")
    book = catalogue.get_book(payload["b"])
    if book is None:
        raise AccessDenied(410, "no-book")
    if payload.get("l") is None:
        if book.is_free_to_try and catalogue.is_visible_to_children(book):
            return Access(book=book)
        raise AccessDenied(410, "not-free")
    # The link is bound to the child: someone else's session (or none) cannot use it.
    if patron is None or str(patron.public_id) != payload.get("p"):
        raise AccessDenied(403, "other-patron")
    loan = lending.active_loans(patron).filter(pk=payload["l"], book=book).first()
    if loan is None or not catalogue.is_visible_to_children(book):
        raise AccessDenied(410, "loan-ended")
    return Access(book=book, loan=loan)
