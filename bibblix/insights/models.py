"""Anonymous daily roll-ups of usage, per municipality."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyUsage(models.Model):
    day = models.DateField(_("day"))
    municipality = models.ForeignKey(
        "members.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("municipality"),
    )
    loans_started = models.PositiveIntegerField(_("loans started"), default=0)

    class Meta:
        ordering = ["-day", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["day", "municipality"], name="unique_daily_usage")
        ]
        verbose_name = _("daily usage")
        verbose_name_plural = _("daily usage")

    def __str__(self) -> str:
        return f"{self.day} {self.municipality_id}"
