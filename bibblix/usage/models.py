"""The anonymous, append-only usage log that statistics are counted from.

A row says what happened (kind), when (to the hour), where (municipality and library ids) and
with what (book id, its language and age band). There is no patron id. `reader_key` is a keyed
hash of the patron id whose key changes every month (`services.reader_key`): it lets the
statistics count *distinct* readers within one month, but cannot link a child's months to each
other or to an account without the server's secret.

Ids are plain integers, not foreign keys: deleting a child, a book or an organisation never
touches this table, and the retention job does not either. Code only ever inserts rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageEvent(models.Model):
    class Kind(models.TextChoices):
        BORROWED = "borrowed", _("Borrowed")
        HOLD_FULFILLED = "hold_fulfilled", _("Borrowed from the queue")
        RETURNED = "returned", _("Returned early")
        EXPIRED = "expired", _("Loan period ended")
        HOLD_PLACED = "hold_placed", _("Hold placed")
        READ = "read", _("Read (pages and time)")
        FINISHED = "finished", _("Finished reading")
        NEW_READER = "new_reader", _("New reader")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login refused")
        LOGIN_TIMEOUT = "login_timeout", _("Library system did not answer")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # To the hour only: the time of day is useful in aggregate, a minute could point to a child.
    occurred_at = models.DateTimeField(_("hour"))
    day = models.DateField(_("day"))
    municipality_id = models.IntegerField(_("municipality id"))
    library_id = models.IntegerField(_("library id"), null=True, blank=True)
    book_id = models.IntegerField(_("book id"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    pages = models.PositiveIntegerField(_("pages read"), default=0)
    seconds = models.PositiveIntegerField(_("seconds read"), default=0)
    reader_key = models.BigIntegerField(_("reader key (changes monthly)"), null=True, blank=True)

    class Meta:
        verbose_name = _("usage event")
        verbose_name_plural = _("usage events")
        indexes = [
            # The roll-up reads one kind over a range of days.
            models.Index(fields=["day", "kind"], name="usage_event_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"
