"""Loans, holds, loan rules and reading state: dated rows, never flags.

A loan is active from `borrowed_at` until it is returned or its `due_at` has passed; a hold is
open until it is fulfilled or cancelled.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The service's defaults; a municipality may set its own in the staff area (LoanPolicy).
DEFAULT_WEEKLY_LIMIT = 5
DEFAULT_LOAN_DAYS = 28
DEFAULT_RETENTION_YEARS = 3
DEFAULT_MAX_HOLDS = 5
# A book counts as finished from this share read on (the last pages are often credits).
FINISHED_AT = 0.98


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


class LoanPolicy(models.Model):
    """A municipality's loan rules; without a row the service's defaults apply."""

    municipality = models.OneToOneField(
        "members.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("municipality"),
        limit_choices_to={"kind": "municipality"},
    )
    weekly_limit = models.PositiveSmallIntegerField(
        _("new loans per week"),
        default=DEFAULT_WEEKLY_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Loans a child may start in any 7 days in a row (a rolling week)."),
    )
    loan_days = models.PositiveSmallIntegerField(
        _("loan period (days)"),
        default=DEFAULT_LOAN_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    max_active_loans = models.PositiveSmallIntegerField(
        _("loans at once"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leave empty for no cap."),
    )
    max_holds = models.PositiveSmallIntegerField(
        _("queues at once"),
        default=DEFAULT_MAX_HOLDS,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "Books a child may queue for at the same time, so that a few children cannot "
            "hold up many books."
        ),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("keep accounts for (years of inactivity)"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "A child's account and loan history are deleted after this many years without "
            "activity; older loan history is deleted as well."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("loan rules")
        verbose_name_plural = _("loan rules")

    def __str__(self) -> str:
        return str(_("Loan rules for %(name)s") % {"name": self.municipality})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result

    def forget_cached(self) -> None:
        from django.core.cache import caches

        from .rules import rules_cache_key

        caches["local"].delete(rules_cache_key(self.municipality_id))


class Hold(models.Model):
    """A child's place in the queue for a book with a limited number of copies."""

    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="holds", verbose_name=_("patron")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.PROTECT, related_name="holds", verbose_name=_("book")
    )
    placed_at = models.DateTimeField(_("placed"), db_index=True)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hold cancelled"), null=True, blank=True)
    loan = models.OneToOneField(
        Loan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hold",
        verbose_name=_("loan"),
    )

    class Meta:
        ordering = ["placed_at", "pk"]
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            models.UniqueConstraint(
                fields=["patron", "book"],
                condition=models.Q(fulfilled_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_hold_per_patron_and_book",
            )
        ]
        indexes = [models.Index(fields=["book", "placed_at"], name="hold_queue")]

    def __str__(self) -> str:
        return f"{self.book} ({self.placed_at:%Y-%m-%d})"


class ReadingProgress(models.Model):
    """Where a child is in a book; the newest write (by the client's clock) wins."""

    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.CASCADE, related_name="+", verbose_name=_("book")
    )
    locator = models.TextField(_("reading position"), blank=True)
    percentage = models.FloatField(_("share read"), default=0.0)
    updated_at = models.DateTimeField(_("updated"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("reading progress")
        verbose_name_plural = _("reading progress")
        constraints = [
            models.UniqueConstraint(fields=["patron", "book"], name="one_progress_per_book")
        ]

    def __str__(self) -> str:
        return f"{self.book} {self.percentage:.0%}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None or self.percentage >= FINISHED_AT


class Bookmark(models.Model):
    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.CASCADE, related_name="+", verbose_name=_("book")
    )
    locator = models.TextField(_("reading position"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        indexes = [models.Index(fields=["patron", "book"], name="bookmark_patron_book")]

    def __str__(self) -> str:
        return self.label or self.locator[:40]


class Favourite(models.Model):
    """A book on the child's "Vill läsa" (want to read) list."""

    patron = models.ForeignKey(
        "patrons.Patron", on_delete=models.CASCADE, related_name="+", verbose_name=_("patron")
    )
    book = models.ForeignKey(
        "catalogue.Book", on_delete=models.CASCADE, related_name="+", verbose_name=_("book")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("want to read")
        verbose_name_plural = _("want to read")
        constraints = [
            models.UniqueConstraint(fields=["patron", "book"], name="one_favourite_per_book")
        ]

    def __str__(self) -> str:
        return str(self.book)
