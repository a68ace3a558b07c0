"""Loans: dated rows, never flags. A loan is active from `borrowed_at` until it is returned or
its `due_at` has passed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Loan(models.Model):
    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="loans", verbose_name=_("patron")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.PROTECT, related_name="loans", verbose_name=_("book")
    )
    borrowed_at = models.DateTimeField(_("borrowed"), db_index=True)
    due_at = models.DateTimeField(_("due"), db_index=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)

    class Meta:
        ordering = ["-borrowed_at"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            # A double tap on "Låna" can never give one child two open loans of one book.
            models.UniqueConstraint(
                fields=["patron", "book"],
                condition=models.Q(returned_at__isnull=True),
                name="one_open_loan_per_patron_and_book",
            )
        ]

    def __str__(self) -> str:
        return f"{self.book} ({self.borrowed_at:%Y-%m-%d})"
