"""The member register: organisations, libraries, staff, and the dated connection history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.se import orgnr


def validate_organisation_number(value: str) -> None:
    if value and not orgnr.is_valid(value):
        raise ValidationError(
            _("%(value)s is not a valid Swedish organisation number."), params={"value": value}
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Regional body")
        INVOICING_BODY = "invoicing_body", _("Invoicing body")
        ASSOCIATION = "association", _("Association")

    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY
    )
    name = models.CharField(_("name"), max_length=200)
    municipality_code = models.CharField(
        _("municipality code"), max_length=4, blank=True, help_text=_("Official four-digit code.")
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    invoice_address = models.TextField(_("invoice address"), blank=True)
    peppol_id = models.CharField(_("Peppol participant id"), max_length=100, blank=True)
    invoice_reference = models.CharField(
        _("invoice reference / cost centre"), max_length=100, blank=True
    )
    group = models.ForeignKey(
        "self",
        verbose_name=_("group (regional body)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_members",
        limit_choices_to={"kind": Kind.REGION},
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality_code"],
                condition=~models.Q(municipality_code=""),
                name="unique_municipality_code",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Library(models.Model):
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="libraries",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    display_name = models.CharField(
        _("name shown to children"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the name."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def __str__(self) -> str:
        return self.display_name or self.name


class ConnectionEvent(models.Model):
    """One dated step in a municipality's connection to the service. The history is the truth:
    whether a municipality is connected on a day is computed from its latest event up to that day."""

    class State(models.TextChoices):
        ENQUIRY = "enquiry", _("Enquiry")
        APPLICATION = "application", _("Application")
        AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
        CONNECTED = "connected", _("Connected")
        NOTICE_GIVEN = "notice_given", _("Notice of termination")
        ENDED = "ended", _("Ended")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="connection_events",
        verbose_name=_("organisation"),
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    effective_date = models.DateField(_("effective date"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "effective_date", "recorded_at", "pk"]
        verbose_name = _("connection event")
        verbose_name_plural = _("connection events")
        indexes = [models.Index(fields=["organisation", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_state_display()} {self.effective_date}"


class StaffProfile(models.Model):
    """A staff user's role; municipality staff see only their own municipality's rows."""

    class Role(models.TextChoices):
        ASSOCIATION_ADMIN = "association_admin", _("Association administrator")
        ECONOMY = "economy", _("Economy")
        MUNICIPALITY_ADMIN = "municipality_admin", _("Municipality library administrator")
        LIBRARIAN = "librarian", _("Librarian")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    municipality = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("municipality"),
        help_text=_("Required for municipality staff; empty for the association's staff."),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_association_staff(self) -> bool:
        return self.role in {self.Role.ASSOCIATION_ADMIN, self.Role.ECONOMY}

    def clean(self) -> None:
        if not self.is_association_staff and self.municipality_id is None:
            raise ValidationError(_("Municipality staff must belong to a municipality."))
