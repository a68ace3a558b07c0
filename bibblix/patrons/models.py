"""Children's accounts, kept to the least possible: no name, no PIN, no birth date.

A patron is a keyed hash (HMAC) of municipality and card number, a random public id, the
municipality and library, and the child's reading preferences.
"""

import re
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bibblix.lib.encryption import EncryptedTextField


class Patron(models.Model):
    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    card_hash = models.CharField(_("card hash"), max_length=64, unique=True, editable=False)
    municipality = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    library = models.ForeignKey(
        "members.Library", on_delete=models.PROTECT, related_name="+", verbose_name=_("library")
    )
    preferences = models.JSONField(_("preferences"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_active_at = models.DateTimeField(_("last active"), auto_now_add=True)

    class Meta:
        verbose_name = _("patron")
        verbose_name_plural = _("patrons")
        permissions = [("handle_data_request", _("Can export or delete a child's data on request"))]

    def __str__(self) -> str:
        return str(_("Patron %(id)s") % {"id": str(self.public_id)[:8]})


class LocalCard(models.Model):
    """A card in a library's local card register; the PIN is stored only as a password hash."""

    library = models.ForeignKey(
        "members.Library",
        on_delete=models.CASCADE,
        related_name="local_cards",
        verbose_name=_("library"),
    )
    card_hash = models.CharField(_("card hash"), max_length=64, editable=False)
    pin_hash = models.CharField(_("PIN hash"), max_length=200, editable=False)
    is_blocked = models.BooleanField(_("blocked"), default=False)
    is_child = models.BooleanField(_("child's card"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("local library card")
        verbose_name_plural = _("local library cards")
        constraints = [
            models.UniqueConstraint(fields=["library", "card_hash"], name="unique_local_card")
        ]

    def __str__(self) -> str:
        return str(
            _("Card …%(hash)s (%(library)s)")
            % {"hash": self.card_hash[:6], "library": self.library}
        )


class LoginProvider(models.Model):
    """How a library checks card and PIN: its local card register or its library system (SIP2).

    A library without a row uses the local register. The SIP password is a secret: it is stored
    because the library system asks for it on every connection, and shown to no one.
    """

    class Kind(models.TextChoices):
        LOCAL = "local", _("Local card register")
        SIP2 = "sip2", _("Library system (SIP2)")

    class Characters(models.TextChoices):
        DIGITS = "digits", _("Digits only")
        ALPHANUMERIC = "alphanumeric", _("Letters A-Z and digits")

    class Message(models.TextChoices):
        PATRON_INFORMATION = "63", _("Patron information (63/64)")
        PATRON_STATUS = "23", _("Patron status (23/24)")

    library = models.OneToOneField(
        "members.Library",
        on_delete=models.CASCADE,
        related_name="login_provider",
        verbose_name=_("library"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    host = models.CharField(_("host"), max_length=255, blank=True)
    port = models.PositiveIntegerField(
        _("port"), default=6001, validators=[MinValueValidator(1), MaxValueValidator(65535)]
    )
    use_tls = models.BooleanField(_("use TLS"), default=False)
    verify_tls = models.BooleanField(
        _("verify the TLS certificate"),
        default=True,
        help_text=_("Turn off only for the library system's own self-signed certificate."),
    )
    sc_user = models.CharField(_("SIP user"), max_length=100, blank=True)
    # Encrypted at rest with FIELD_ENCRYPTION_KEYS: a database dump shows no password.
    sc_password = EncryptedTextField(
        _("SIP password"),
        blank=True,
        validators=[MaxLengthValidator(100)],
        help_text=_("A secret: stored for the library system, never shown again."),
    )
    institution_id = models.CharField(_("institution id (AO)"), max_length=100, blank=True)
    location_code = models.CharField(_("location code (CP)"), max_length=100, blank=True)
    terminal_password = EncryptedTextField(
        _("terminal password (AC)"), blank=True, validators=[MaxLengthValidator(100)]
    )
    message = models.CharField(
        _("patron message"),
        max_length=2,
        choices=Message.choices,
        default=Message.PATRON_INFORMATION,
    )
    encoding = models.CharField(
        _("character encoding"),
        max_length=20,
        default="utf-8",
        choices=[("utf-8", "UTF-8"), ("latin-1", "ISO-8859-1"), ("cp850", "CP850")],
    )
    error_detection = models.BooleanField(_("checksums and sequence numbers (AY/AZ)"), default=True)
    timeout_seconds = models.FloatField(
        _("timeout (seconds)"),
        default=4.0,
        validators=[MinValueValidator(0.5), MaxValueValidator(5.0)],
        help_text=_("A child waits at most this long before hearing that the system is down."),
    )
    pool_size = models.PositiveSmallIntegerField(
        _("connections at most"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    allowed_patron_classes = models.CharField(
        _("patron classes allowed"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated, e.g. BARN,UNG. Empty: every class may log in."),
    )
    patron_class_field = models.CharField(
        _("field with the patron class"), max_length=2, default="PC"
    )
    max_age = models.PositiveSmallIntegerField(
        _("highest age"),
        null=True,
        blank=True,
        help_text=_("Refuse older card holders, where the library system gives a birth date."),
    )
    birth_date_field = models.CharField(_("field with the birth date"), max_length=2, default="PB")
    # The library's card and PIN format: anything else is refused before the library system is
    # asked (a "|" or CR would end the SIP2 field early and send another card's check).
    card_characters = models.CharField(
        _("characters in card numbers"),
        max_length=12,
        choices=Characters.choices,
        default=Characters.DIGITS,
        help_text=_("Spaces and dashes a child types are ignored."),
    )
    card_min_length = models.PositiveSmallIntegerField(
        _("shortest card number"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(32)],
    )
    card_max_length = models.PositiveSmallIntegerField(
        _("longest card number"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(32)],
    )
    pin_characters = models.CharField(
        _("characters in PINs"),
        max_length=12,
        choices=Characters.choices,
        default=Characters.DIGITS,
    )
    pin_min_length = models.PositiveSmallIntegerField(
        _("shortest PIN"), default=4, validators=[MinValueValidator(1), MaxValueValidator(16)]
    )
    pin_max_length = models.PositiveSmallIntegerField(
        _("longest PIN"), default=16, validators=[MinValueValidator(1), MaxValueValidator(16)]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("login provider")
        verbose_name_plural = _("login providers")

    def __str__(self) -> str:
        return f"{self.library}: {self.get_kind_display()}"

    def clean(self) -> None:
        if self.kind == self.Kind.SIP2 and not self.host:
            raise ValidationError({"host": _("A library system needs a host name.")})
        if self.card_min_length > self.card_max_length:
            raise ValidationError({"card_max_length": _("Longer than the shortest, please.")})
        if self.pin_min_length > self.pin_max_length:
            raise ValidationError({"pin_max_length": _("Longer than the shortest, please.")})

    def accepts_card(self, card: str) -> bool:
        """Whether a normalised card number has the library's format (before anything is sent)."""
        return _fits(card, self.card_characters, self.card_min_length, self.card_max_length)

    def accepts_pin(self, pin: str) -> bool:
        """Whether a PIN, exactly as typed, has the library's format."""
        return _fits(pin, self.pin_characters, self.pin_min_length, self.pin_max_length)

    @property
    def patron_classes(self) -> frozenset[str]:
        return frozenset(c.strip() for c in self.allowed_patron_classes.split(",") if c.strip())


class AppToken(models.Model):
    """A native app's short-lived bearer token for one child (POST /api/v1/session with
    {"token": true}). Only a SHA-256 hash is stored: a database dump lets no one log in."""

    patron = models.ForeignKey(Patron, on_delete=models.CASCADE, related_name="app_tokens")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("app token")
        verbose_name_plural = _("app tokens")

    def __str__(self) -> str:
        return f"{_('App token')} {self.token_hash[:8]}"


_CHARACTERS = {
    LoginProvider.Characters.DIGITS: re.compile(r"[0-9]+"),
    LoginProvider.Characters.ALPHANUMERIC: re.compile(r"[0-9A-Za-z]+"),
}


def _fits(value: str, characters: str, shortest: int, longest: int) -> bool:
    # fullmatch with ASCII classes only: "١٢٣٤" (Arabic-Indic digits) and "\n" are refused too.
    pattern = _CHARACTERS.get(characters, _CHARACTERS[LoginProvider.Characters.DIGITS])
    return shortest <= len(value) <= longest and pattern.fullmatch(value) is not None
