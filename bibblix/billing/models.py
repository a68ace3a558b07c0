"""Billing rows: who issues invoices and with which number series, the fee schedule per year,
billing runs with their invoices, credit notes and lines, payments, and the BAS account mapping.

Amounts are integers in öre. The fee rules that read these rows live in `fees.py`; runs and
approval in `runs.py`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bibblix.members.models import Organisation


class VatCategory(models.TextChoices):
    """EN 16931 VAT category codes (UNCL5305) the association uses."""

    STANDARD = "S", _("S: standard rate")
    OUTSIDE_SCOPE = "O", _("O: outside the scope of VAT")


class FeeType(models.TextChoices):
    """What a line charges for; each fee type has its VAT category and BAS account."""

    MEMBERSHIP_ONE_OFF = "membership_one_off", _("Membership fee, one-off")
    MEMBERSHIP_YEARLY = "membership_yearly", _("Membership fee, yearly")
    CONNECTION = "connection", _("Connection fee, one-off")
    SERVICE = "service", _("Annual service fee")
    GROUP_FEE = "group_fee", _("Group fee (regional group membership)")
    GROUP_ONE_OFF_SHARE = "group_one_off_share", _("Group's share of one-off fees")
    GROUP_SUBSIDY = "group_subsidy", _("Group's per-inhabitant contribution, year one")
    REINVOICED = "reinvoiced", _("Re-invoiced share (invoicing body)")


class Issuer(models.Model):
    """An organisation that sends invoices: the association, or an invoicing body such as a
    region's IT body. The postal address and Peppol id live on the organisation."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="issuer",
        verbose_name=_("organisation"),
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, help_text=_("E.g. SE212000143901.")
    )
    has_f_skatt = models.BooleanField(_("approved for F-tax (Godkänd för F-skatt)"), default=True)
    bankgiro = models.CharField(_("bankgiro"), max_length=10, help_text=_("E.g. 991-2346."))
    is_placeholder = models.BooleanField(
        _("identifiers are placeholders"),
        default=False,
        help_text=_("Demo or temporary numbers: never send a real invoice with them."),
    )
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30)
    number_prefix = models.CharField(
        _("invoice number prefix"),
        max_length=8,
        help_text=_("Letters before the number, e.g. SB gives SB10001."),
    )

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")

    def __str__(self) -> str:
        return str(self.organisation)


class NumberSeries(models.Model):
    """A gapless counter per issuer and document kind. Approval locks this row
    (SELECT … FOR UPDATE) and takes the next numbers inside the same transaction, so a number is
    either used or never handed out."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoices")
        CREDIT_NOTE = "credit_note", _("Credit notes")

    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="series", verbose_name=_("issuer")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    prefix = models.CharField(_("prefix"), max_length=10)
    first_number = models.PositiveIntegerField(_("first number"), default=10001)
    last_number = models.PositiveIntegerField(
        _("last number used"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "kind"], name="one_series_per_issuer_kind")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.get_kind_display()} ({self.prefix})"


class FeeSchedule(models.Model):
    """The fees for one year, edited by staff. Amounts that depend on population are in the
    tiers; the rest are here."""

    class ServiceBasis(models.TextChoices):
        PER_INHABITANT = "per_inhabitant", _("Per inhabitant, with floor and ceiling")
        TIER = "tier", _("By population tier")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    is_example = models.BooleanField(
        _("example values"),
        default=False,
        help_text=_("Demo amounts, not decided fees."),
    )
    vat_rate_basis_points = models.PositiveIntegerField(
        _("VAT rate (basis points)"), default=2500, help_text=_("2500 means 25 %.")
    )
    population_reference_date = models.DateField(
        _("population as of"),
        null=True,
        blank=True,
        help_text=_("The date the register's population figures refer to (e.g. 31 December)."),
    )
    rejoin_one_off_basis_points = models.PositiveIntegerField(
        _("re-joining pays (basis points of the one-off fee)"), default=5000
    )
    connection_fee_ore = models.PositiveIntegerField(_("one-off connection fee (öre)"), default=0)
    service_basis = models.CharField(
        _("annual service fee basis"),
        max_length=20,
        choices=ServiceBasis.choices,
        default=ServiceBasis.PER_INHABITANT,
    )
    service_per_inhabitant_ore = models.PositiveIntegerField(
        _("annual service fee per inhabitant (öre)"), default=0
    )
    service_floor_ore = models.PositiveIntegerField(_("annual service fee, floor (öre)"), default=0)
    service_ceiling_ore = models.PositiveIntegerField(
        _("annual service fee, ceiling (öre)"), null=True, blank=True
    )
    group_fee_ore = models.PositiveIntegerField(
        _("group fee per year (öre)"),
        default=0,
        help_text=_("What a region with a group membership pays the association per year."),
    )
    group_one_off_share_basis_points = models.PositiveIntegerField(
        _("group's share of one-off and connection fees (basis points)"),
        default=0,
        help_text=_(
            "The region pays this share of its municipalities' one-off membership and "
            "connection fees; its invoicing body re-invoices the rest to the municipality."
        ),
    )
    group_subsidy_per_inhabitant_ore = models.PositiveIntegerField(
        _("group's contribution per inhabitant in year one (öre)"),
        default=0,
        help_text=_(
            "Paid by the region for each municipality in the calendar year it connects; the "
            "municipality's re-invoiced annual fee is reduced by the same amount."
        ),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")

    def __str__(self) -> str:
        return str(self.year)

    def tier_for(self, population: int) -> "FeeTier | None":
        """The tier a municipality of `population` falls in (the top tier above it)."""
        tiers = list(self.tiers.all())
        for tier in tiers:
            if population <= tier.max_population:
                return tier
        return tiers[-1] if tiers else None

    def annual_fee_ore(self, population: int, through_group: bool) -> int:
        """The yearly membership fee for a municipality of `population`; the rate its
        invoicing body re-invoices when it joins through a regional group membership."""
        tier = self.tier_for(population)
        if tier is None:
            return 0
        return tier.group_fee_ore if through_group else tier.direct_fee_ore


class FeeTier(models.Model):
    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="tiers")
    max_population = models.PositiveIntegerField(
        _("up to population"), help_text=_("Inclusive; the top tier also covers everything above.")
    )
    one_off_fee_ore = models.PositiveIntegerField(_("one-off membership fee (öre)"), default=0)
    direct_fee_ore = models.PositiveIntegerField(_("annual fee, direct member (öre)"))
    group_fee_ore = models.PositiveIntegerField(
        _("annual fee, through group (öre)"),
        help_text=_("What the invoicing body re-invoices a municipality of the group per year."),
    )
    service_fee_ore = models.PositiveIntegerField(
        _("annual service fee by tier (öre)"),
        default=0,
        help_text=_("Used when the schedule's service fee basis is 'by population tier'."),
    )

    class Meta:
        ordering = ["schedule", "max_population"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "max_population"], name="unique_fee_tier")
        ]
        verbose_name = _("fee tier")
        verbose_name_plural = _("fee tiers")

    def __str__(self) -> str:
        return f"{self.schedule} ≤ {self.max_population}"


class FeeVat(models.Model):
    """The VAT category of one fee type in one year. A fee type without a row is category S at
    the schedule's rate."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="vat_rules")
    fee_type = models.CharField(_("fee type"), max_length=30, choices=FeeType.choices)
    category = models.CharField(_("VAT category"), max_length=1, choices=VatCategory.choices)
    exemption_reason = models.CharField(
        _("exemption text"),
        max_length=200,
        blank=True,
        help_text=_(
            "Required for category O, e.g. 'Medlemsavgift, utanför momsens tillämpningsområde'."
        ),
    )

    class Meta:
        verbose_name = _("VAT category per fee type")
        verbose_name_plural = _("VAT categories per fee type")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "fee_type"], name="one_vat_rule_per_fee")
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.get_fee_type_display()}: {self.category}"


class AccountMapping(models.Model):
    """BAS accounts for the SIE export, edited by staff: one row per purpose (and fee type for
    revenue). A row without an issuer is the default for every issuer."""

    class Purpose(models.TextChoices):
        RECEIVABLE = "receivable", _("Accounts receivable")
        VAT_OUTPUT = "vat_output", _("Output VAT 25 %")
        BANK = "bank", _("Bank (bankgiro)")
        OVERPAYMENT = "overpayment", _("Unallocated or overpaid payments")
        REVENUE = "revenue", _("Revenue")

    issuer = models.ForeignKey(
        Issuer,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="accounts",
        verbose_name=_("issuer"),
        help_text=_("Empty: the default for every issuer."),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    fee_type = models.CharField(_("fee type"), max_length=30, choices=FeeType.choices, blank=True)
    account = models.CharField(_("BAS account"), max_length=6)
    name = models.CharField(_("account name"), max_length=100)

    class Meta:
        ordering = ["issuer", "purpose", "fee_type"]
        verbose_name = _("BAS account mapping")
        verbose_name_plural = _("BAS account mapping")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "purpose", "fee_type"], name="one_account_per_purpose"
            ),
            models.UniqueConstraint(
                fields=["purpose", "fee_type"],
                condition=models.Q(issuer__isnull=True),
                name="one_default_account_per_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.name}"


class BillingRun(models.Model):
    """One computation of what an issuer invoices for a year or a quarter. A run in preview holds
    draft invoices; approval numbers them. At most one run per (year, quarter, issuer) waits for
    approval; a new computation replaces its drafts."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        APPROVED = "approved", _("Approved")

    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), default=0, help_text=_("1–4, or 0 for the whole year.")
    )
    issuer = models.ForeignKey(
        Issuer, on_delete=models.PROTECT, related_name="runs", verbose_name=_("issuer")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PREVIEW
    )
    created_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("computed by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approval_comment = models.TextField(_("comment on approval"), blank=True)
    changes = models.JSONField(
        _("changes since the last run"),
        default=list,
        blank=True,
        help_text=_("One entry per buyer and line whose amount differs from what was invoiced."),
    )

    class Meta:
        ordering = ["-year", "-quarter", "-created_at"]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        permissions = [("approve_billingrun", _("Can approve billing runs"))]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "issuer"],
                condition=models.Q(state="preview"),
                name="one_pending_run_per_period",
            ),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="quarter_0_to_4"),
        ]

    def __str__(self) -> str:
        period = f"{self.year} Q{self.quarter}" if self.quarter else str(self.year)
        return f"{self.issuer} {period}"


class Invoice(models.Model):
    """An invoice, supplementary invoice or credit note. A draft has no number; approval gives it
    one from its issuer's series, and from then on its rows never change. A credit note carries
    positive amounts and names the invoice it reduces (`credits`)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ISSUED = "issued", _("Issued")

    run = models.ForeignKey(
        BillingRun,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("billing run"),
    )
    issuer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuer")
    )
    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="billing_invoices",
        verbose_name=_("buyer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INVOICE)
    is_supplementary = models.BooleanField(_("supplementary invoice"), default=False)
    credits = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("credits invoice"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    sequence = models.PositiveIntegerField(_("number in series"), null=True, blank=True)
    number = models.CharField(_("number"), max_length=30, blank=True)
    ocr = models.CharField(_("OCR reference"), max_length=25, blank=True)
    issue_date = models.DateField(_("invoice date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until (inclusive)"))
    vat_category = models.CharField(_("VAT category"), max_length=1, choices=VatCategory.choices)
    vat_rate_basis_points = models.PositiveIntegerField(_("VAT rate (basis points)"))
    exemption_reason = models.CharField(_("VAT exemption text"), max_length=200, blank=True)
    net_ore = models.BigIntegerField(_("net (öre)"), default=0)
    vat_ore = models.BigIntegerField(_("VAT (öre)"), default=0)
    total_ore = models.BigIntegerField(_("total (öre)"), default=0)
    buyer_reference = models.CharField(_("buyer reference"), max_length=100, blank=True)
    parties = models.JSONField(
        _("seller and buyer as invoiced"),
        default=dict,
        blank=True,
        help_text=_("Copied at approval so an issued invoice never changes with the register."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )

    class Meta:
        ordering = ["-year", "issuer", "number", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "kind", "sequence"],
                condition=models.Q(sequence__isnull=False),
                name="gapless_number_once",
            ),
            models.UniqueConstraint(
                fields=["issuer", "number"],
                condition=~models.Q(number=""),
                name="unique_invoice_number",
            ),
            models.UniqueConstraint(fields=["ocr"], condition=~models.Q(ocr=""), name="unique_ocr"),
        ]
        indexes = [
            models.Index(fields=["issuer", "year", "quarter", "buyer"]),
            models.Index(fields=["buyer", "status"]),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_status_display()} #{self.pk}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE


class InvoiceLine(models.Model):
    """One charge on an invoice. `key` names the fee it charges for the buyer (e.g. "service" or
    "group_one_off_share:1440") so a later run can compare and invoice only the difference;
    `provenance` says where the amount came from (period, population, tier, schedule row)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("line number"), default=1)
    key = models.CharField(_("fee key"), max_length=80)
    fee_type = models.CharField(_("fee type"), max_length=30, choices=FeeType.choices)
    description = models.CharField(_("description"), max_length=300)
    provenance = models.TextField(_("where the amount comes from"), blank=True)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until (inclusive)"), null=True, blank=True)
    net_ore = models.BigIntegerField(_("net (öre)"))

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    """A payment received, from a BgMax file or entered by hand. `invoice` is empty while the
    payment is unmatched."""

    class Source(models.TextChoices):
        BGMAX = "bgmax", _("BgMax file")
        MANUAL = "manual", _("Entered by hand")

    amount_ore = models.BigIntegerField(_("amount (öre)"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    payer_name = models.CharField(_("payer"), max_length=200, blank=True)
    invoice = models.ForeignKey(
        Invoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("invoice"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    source_file_sha256 = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    source_line = models.PositiveIntegerField(_("line in file"), null=True, blank=True)
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("matched by"),
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["source_file_sha256"])]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.reference or self.payer_name}"


# Incoming payments and reminders have their own module; imported here so Django finds them.
from .payment_models import BgMaxEntry, BgMaxFile, Reminder  # noqa: E402, F401
