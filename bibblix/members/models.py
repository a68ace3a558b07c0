"""The member register: organisations, libraries, contacts, memberships, staff, and the dated
connection history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import (
    POSTCODE,
    format_organisation_number,
    format_postcode,
    normalise_peppol_id,
    peppol_organisation_number,
    validate_organisation_number,
    validate_peppol_id,
)

__all__ = ["validate_organisation_number"]  # named by migration 0001


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
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=20,
        blank=True,
        help_text=_("Short name used in imports, e.g. VGR for a regional group."),
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        blank=True,
        validators=[validate_organisation_number],
    )
    organisation_number_is_placeholder = models.BooleanField(
        _("organisation number is a placeholder"),
        default=False,
        help_text=_("Demo or temporary number: never use it on a real invoice."),
    )
    county = models.CharField(_("county"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    population_source = models.CharField(_("population source"), max_length=200, blank=True)
    # Structured postal address (Peppol BIS 3.0 needs street, postcode, city and country code).
    address_line = models.CharField(
        _("department or c/o"),
        max_length=200,
        blank=True,
        help_text=_("Optional line before the street, e.g. Fakturaservice."),
    )
    street = models.CharField(_("street address or box"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country_code = models.CharField(
        _("country code"), max_length=2, default="SE", help_text=_("ISO 3166-1, e.g. SE.")
    )
    peppol_id = models.CharField(
        _("Peppol participant id"),
        max_length=100,
        blank=True,
        validators=[validate_peppol_id],
        help_text=_("ICD and identifier, e.g. 0007:2120001439 for a Swedish organisation."),
    )
    invoice_reference = models.CharField(
        _("buyer reference"),
        max_length=100,
        blank=True,
        help_text=_(
            "The reference the buyer wants on every invoice (Er referens, e.g. a cost centre or "
            "order number). Mandatory for Swedish public buyers."
        ),
    )
    group = models.ForeignKey(
        "self",
        verbose_name=_("group (regional body)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_members",
        limit_choices_to={"kind": Kind.REGION},
        help_text=_("The group the municipality is a member through today (see memberships)."),
    )
    invoiced_by = models.ForeignKey(
        "self",
        verbose_name=_("invoiced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices_for",
        limit_choices_to={"kind": Kind.INVOICING_BODY},
        help_text=_(
            "For a regional body: the body that invoices on the group's behalf today "
            "(billing reads the dated value on the group membership)."
        ),
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

    def clean_fields(self, exclude=None) -> None:
        # Normalise before the field validators run: "2120001439" → "212000-1439",
        # "iso6523-actorid-upis::0007:…" → "0007:…", "44980" → "449 80", "se" → "SE".
        self.country_code = (self.country_code or "").strip().upper()
        if self.country_code == "SE":
            self.postcode = format_postcode(self.postcode)
        self.organisation_number = format_organisation_number(self.organisation_number)
        self.peppol_id = normalise_peppol_id(self.peppol_id)
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.MUNICIPALITY and not self.municipality_code:
            errors["municipality_code"] = _("A municipality needs its official code.")
        if self.postcode and not POSTCODE.match(self.postcode):
            errors["postcode"] = _("A Swedish postcode is five digits, e.g. 449 80.")
        if self.country_code and not (len(self.country_code) == 2 and self.country_code.isalpha()):
            errors["country_code"] = _("The country code is two letters, e.g. SE.")
        if self.municipality_code and not (
            len(self.municipality_code) == 4 and self.municipality_code.isdigit()
        ):
            errors["municipality_code"] = _("The municipality code is four digits, e.g. 0180.")
        in_peppol = peppol_organisation_number(self.peppol_id)
        if in_peppol and self.organisation_number and in_peppol != self.organisation_number:
            errors["peppol_id"] = _("The Peppol id names another organisation number.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_municipality(self) -> bool:
        return self.kind == self.Kind.MUNICIPALITY

    @property
    def postal_address(self) -> str:
        """The address as printed on an envelope, one line each."""
        lines = [self.address_line, self.street, f"{self.postcode} {self.city}".strip()]
        if self.country_code and self.country_code != "SE":
            lines.append(self.country_code)
        return "\n".join(line for line in lines if line)


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
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), null=True, blank=True
    )
    # A planned (future) step that was superseded, e.g. an end date moved or a notice withdrawn.
    # Kept, struck through, so the history shows every decision.
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
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


class Contact(models.Model):
    """A person to talk to: a municipality's contacts, or the association's coordinators."""

    class Role(models.TextChoices):
        LIBRARY = "library", _("Library")
        CULTURE_ADMINISTRATION = "culture_administration", _("Culture administration")
        ECONOMY = "economy", _("Economy")
        COORDINATOR = "coordinator", _("Coordinator for the service (association)")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "role", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()}, {self.organisation})"


class Membership(models.Model):
    """Membership of the association, a fact apart from the service connection: a municipality is
    a direct member or a member through a regional group; a regional body holds the group
    membership itself."""

    class Route(models.TextChoices):
        DIRECT = "direct", _("Direct membership")
        THROUGH_GROUP = "through_group", _("Through a regional group")
        GROUP = "group", _("Group membership (regional body)")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("member"),
    )
    route = models.CharField(_("membership type"), max_length=20, choices=Route.choices)
    group = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="covered_memberships",
        limit_choices_to={"kind": Organisation.Kind.REGION},
        verbose_name=_("group (regional body)"),
    )
    invoiced_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoiced_memberships",
        limit_choices_to={"kind": Organisation.Kind.INVOICING_BODY},
        verbose_name=_("invoiced by"),
        help_text=_(
            "On a region's group membership: the body that invoices the group's municipalities "
            "for as long as this membership runs."
        ),
    )
    start_date = models.DateField(
        _("member since"), null=True, blank=True, help_text=_("Empty: since before the register.")
    )
    end_date = models.DateField(
        _("member until"), null=True, blank=True, help_text=_("First day no longer a member.")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["organisation__name", "start_date"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        through = f" {self.group}" if self.group_id else ""
        return f"{self.organisation}: {self.get_route_display()}{through}"

    def clean(self) -> None:
        if self.route == self.Route.THROUGH_GROUP and not self.group_id:
            raise ValidationError({"group": _("Name the group the membership goes through.")})
        if self.route != self.Route.THROUGH_GROUP and self.group_id:
            raise ValidationError({"group": _("Only a membership through a group names one.")})
        if self.route != self.Route.GROUP and self.invoiced_by_id:
            raise ValidationError(
                {"invoiced_by": _("Only a region's group membership names an invoicing body.")}
            )
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The membership must end after it starts.")})


class Notification(models.Model):
    """An e-mail sent about a connection event; remembered so reruns send nothing twice."""

    class Kind(models.TextChoices):
        TERMINATION = "termination", _("Notice of termination registered")
        GO_LIVE = "go_live", _("Go-live approaching")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    event = models.ForeignKey(
        ConnectionEvent, on_delete=models.CASCADE, related_name="notifications"
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipient_count = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["kind", "event"], name="one_notification_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.event}"
