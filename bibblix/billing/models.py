"""Fee schedules per year. Amounts are integers in öre."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FeeSchedule(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    vat_rate_basis_points = models.PositiveIntegerField(
        _("VAT rate (basis points)"), default=2500, help_text=_("2500 means 25 %.")
    )
    connection_fee_ore = models.PositiveIntegerField(_("one-off connection fee (öre)"), default=0)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")

    def __str__(self) -> str:
        return str(self.year)

    def annual_fee_ore(self, population: int, through_group: bool) -> int:
        """The annual fee for a municipality of `population`; the group rate when it joins
        through a regional group membership."""
        tier = self.tiers.filter(max_population__gte=population).order_by("max_population").first()
        tier = tier or self.tiers.order_by("-max_population").first()
        if tier is None:
            return 0
        return tier.group_fee_ore if through_group else tier.direct_fee_ore


class FeeTier(models.Model):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="tiers")
    max_population = models.PositiveIntegerField(_("up to population"))
    direct_fee_ore = models.PositiveIntegerField(_("annual fee, direct member (öre)"))
    group_fee_ore = models.PositiveIntegerField(_("annual fee, through group (öre)"))

    class Meta:
        ordering = ["schedule", "max_population"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "max_population"], name="unique_fee_tier")
        ]
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")

    def __str__(self) -> str:
        return f"{self.schedule} ≤ {self.max_population}"
