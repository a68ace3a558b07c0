"""Roll-ups of the anonymous usage log (`bibblix.usage`), and how far each is filled.

A `DailyCount` is one figure: metric × day × municipality, optionally split by a dimension
(library, book, theme, language, age band) whose value is `key`. Municipality id 0 holds the
national figure (counted from the log, not summed, so distinct readers stay distinct). Rows split
by book, theme, language or age band, and the monthly distinct readers, are per month: `day` is the
month's first day and the value covers the month so far. Ids are plain integers like the log's,
so deleting an organisation or a book changes no figure.

The rows are raw figures: pages show them only through `insights.suppression`, never directly.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL = 0  # municipality_id of the whole country's rows


class DailyCount(models.Model):
    metric = models.CharField(_("metric"), max_length=32)
    day = models.DateField(_("day"))
    municipality_id = models.IntegerField(_("municipality id"))
    dimension = models.CharField(_("dimension"), max_length=12, blank=True)
    key = models.CharField(_("value of the dimension"), max_length=32, blank=True)
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("daily count")
        verbose_name_plural = _("daily counts")
        constraints = [
            # Dashboards read one municipality's (or the country's) rows of a metric over a
            # range of days: with the value in the index (PostgreSQL) that is an index-only scan.
            models.UniqueConstraint(
                fields=["metric", "dimension", "municipality_id", "day", "key"],
                include=["value"],
                name="unique_daily_count",
            )
        ]
        indexes = [
            # Comparisons across municipalities read one metric over a range of days.
            models.Index(
                fields=["metric", "dimension", "day"],
                include=["municipality_id", "value"],
                name="daily_count_metric_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day} {self.municipality_id} {self.key} = {self.value}"


class FillState(models.Model):
    """How far a metric's roll-up is complete: every day up to `filled_through` is counted.
    Written in the same transaction as the rows, so a crash leaves both as they were."""

    metric = models.CharField(_("metric"), max_length=32, unique=True)
    filled_through = models.DateField(_("filled through"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("fill state")
        verbose_name_plural = _("fill states")

    def __str__(self) -> str:
        return f"{self.metric} → {self.filled_through}"
