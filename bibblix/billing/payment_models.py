"""Rows of incoming payments and reminders: BgMax files read, the payment records booked from
them (so the same payment is never booked twice), and reminders sent. Kept apart from
models.py, which passed 400 lines; models.py imports this module so Django finds the rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Invoice, Payment


class BgMaxFile(models.Model):
    """A BgMax file that was read whole; its SHA-256 makes a second import of it a no-op."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    name = models.CharField(_("file name"), max_length=255, blank=True)
    written_at = models.DateTimeField(_("written by Bankgirot at"), null=True, blank=True)
    is_test = models.BooleanField(_("test file"), default=False)
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    payment_count = models.PositiveIntegerField(_("payments in file"), default=0)
    total_ore = models.BigIntegerField(_("total (öre)"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    unmatched_count = models.PositiveIntegerField(_("unmatched"), default=0)
    skipped_count = models.PositiveIntegerField(_("already imported"), default=0)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("BgMax file")
        verbose_name_plural = _("BgMax files")

    def __str__(self) -> str:
        return self.name or self.sha256[:12]


class BgMaxEntry(models.Model):
    """A payment record (20 or 21) of a BgMax file as booked. `identity` is the payment's place
    at Bankgirot (payment date, payee bankgiro, deposit serial, position in the deposit, BGC
    serial), the same in any file that carries it; a payment split over several invoices has
    one entry per part."""

    file = models.ForeignKey(
        BgMaxFile, on_delete=models.PROTECT, related_name="entries", verbose_name=_("file")
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="bgmax_entry", verbose_name=_("payment")
    )
    identity = models.CharField(_("identity at Bankgirot"), max_length=100)
    part = models.PositiveSmallIntegerField(_("part"), default=0)
    payee_bankgiro = models.CharField(_("payee bankgiro"), max_length=10)
    reference_code = models.PositiveSmallIntegerField(_("reference code"))
    texts = models.JSONField(
        _("references and messages"),
        default=list,
        blank=True,
        help_text=_("Everything the payer wrote, for matching by hand."),
    )

    class Meta:
        ordering = ["file", "pk"]
        verbose_name = _("BgMax payment record")
        verbose_name_plural = _("BgMax payment records")
        constraints = [
            models.UniqueConstraint(fields=["identity", "part"], name="bgmax_payment_once")
        ]

    def __str__(self) -> str:
        return self.identity


class Reminder(models.Model):
    """A payment reminder sent for an invoice; at most one per invoice and level."""

    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, related_name="reminders", verbose_name=_("invoice")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_to = models.CharField(_("sent to"), max_length=1000)
    outstanding_ore = models.BigIntegerField(_("outstanding (öre)"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "level"], name="one_reminder_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} ({self.level})"
