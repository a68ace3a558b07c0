"""Children's accounts, kept to the least possible: no name, no PIN, no birth date.

A patron is a keyed hash (HMAC) of municipality and card number, a random public id, the
municipality and library, and the child's reading preferences.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    def __str__(self) -> str:
        return f"{_('Patron')} {str(self.public_id)[:8]}"


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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("local library card")
        verbose_name_plural = _("local library cards")
        constraints = [
            models.UniqueConstraint(fields=["library", "card_hash"], name="unique_local_card")
        ]

    def __str__(self) -> str:
        return f"{_('Card')} …{self.card_hash[:6]} ({self.library})"
