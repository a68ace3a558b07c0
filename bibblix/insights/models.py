"""Roll-ups of the anonymous usage log (`bibblix.usage`), and how far each is filled.

A `DailyCount` is one figure: metric × day × municipality, optionally split by a dimension
(library, book, theme, language, age band) whose value is `key`. Municipality id 0 holds the
national figure (counted from the log, not summed, so distinct readers stay distinct). Rows split
by book, theme, language or age band, and the monthly distinct readers, are per month: `day` is the
month's first day and the value covers the month so far. Ids are plain integers like the log's,
so deleting an organisation or a book changes no figure.

The rows are raw figures: pages show them only through `insights.suppression`, never directly.
"""

from django.conf import settings
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


class YearTotal(models.Model):
    """The sum of a split's national monthly rows over one calendar year, per key: for loans per
    book, what the national dashboard's top books of a year read in value order instead of
    summing every book's months. Kept by the roll-up in the same transaction as the monthly rows
    (`rollup.YEAR_TOTALS`), so it always equals SUM(value) of the DailyCount rows of that
    metric, split, key and year. `municipality_id` is NATIONAL (0) for now: a municipality's
    year of rows is small enough to sum."""

    metric = models.CharField(_("metric"), max_length=32)
    dimension = models.CharField(_("dimension"), max_length=12)
    municipality_id = models.IntegerField(_("municipality id"))
    year = models.PositiveSmallIntegerField(_("year"))
    key = models.CharField(_("value of the dimension"), max_length=32)
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("year total")
        verbose_name_plural = _("year totals")
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "dimension", "municipality_id", "year", "key"],
                name="unique_year_total",
            )
        ]
        indexes = [
            # The largest of a year, read backwards: an index-ordered LIMIT.
            models.Index(
                fields=["metric", "dimension", "municipality_id", "year", "value", "key"],
                name="year_total_by_value",
            ),
            # A total that fell to 0 (its rows were counted again as none) is deleted at once;
            # this finds them without reading the year.
            models.Index(
                fields=["metric", "dimension"],
                condition=models.Q(value=0),
                name="year_total_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.year} {self.municipality_id} {self.key} = {self.value}"


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


# --- budget, costs and the quarterly status report -------------------------------------------


class Quarter(models.IntegerChoices):
    Q1 = 1, _("Q1 (Jan–Mar)")
    Q2 = 2, _("Q2 (Apr–Jun)")
    Q3 = 3, _("Q3 (Jul–Sep)")
    Q4 = 4, _("Q4 (Oct–Dec)")


class BudgetLine(models.Model):
    """One budgeted amount for a quarter, entered by the association. Amounts exclude VAT."""

    class Kind(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        COST = "cost", _("Cost")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    account = models.CharField(
        _("account"), max_length=10, blank=True, help_text=_("BAS account, e.g. 3041 or 5420.")
    )
    label = models.CharField(_("label"), max_length=200)
    amount_ore = models.BigIntegerField(_("amount (öre, excluding VAT)"))

    class Meta:
        ordering = ["year", "quarter", "kind", "account", "label"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter} {self.get_kind_display()}: {self.label}"


class CostLine(models.Model):
    """An actual cost entered by the association (invoices it received, salaries, licences).
    Amounts exclude VAT, like the budget."""

    date = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=200)
    account = models.CharField(_("account"), max_length=10, blank=True)
    amount_ore = models.BigIntegerField(_("amount (öre, excluding VAT)"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-date", "label"]
        verbose_name = _("cost")
        verbose_name_plural = _("costs")

    def __str__(self) -> str:
        return f"{self.date} {self.label}"


class StatusReport(models.Model):
    """One version of a quarter's status report. A draft holds the edited texts and is built
    from live data when shown; approving freezes everything shown into `snapshot`, so later
    changes in the register or the ledger never change an approved version. A new version of
    an approved quarter starts as a draft copy of its texts."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), choices=Quarter.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    background = models.TextField(_("background"), blank=True)
    events_note = models.TextField(
        _("important events (free text)"),
        blank=True,
        help_text=_("Added after the events generated from the register and billing."),
    )
    economy_note = models.TextField(_("economic status (free text)"), blank=True)
    personnel = models.TextField(_("personnel resources"), blank=True)
    snapshot = models.JSONField(_("frozen content"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        ordering = ["-year", "-quarter", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "version"], name="unique_status_report_version"
            ),
            models.UniqueConstraint(
                fields=["year", "quarter"],
                condition=models.Q(state="draft"),
                name="one_draft_status_report_per_quarter",
            ),
        ]
        permissions = [("approve_statusreport", _("Can approve a status report"))]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} v{self.version}"

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED
