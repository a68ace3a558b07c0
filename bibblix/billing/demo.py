"""Demo billing: fee schedules for last year and this year (the association's published tiers,
marked as examples), Sambruk and GITS as issuers with placeholder numbers, placeholder
organisation numbers and Peppol ids for the members that have none, approved runs for last year
and Sambruk's for this year, paid through a demo BgMax file per issuer (demo_payments: by OCR,
by invoice number, partly, one not at all and reminded, one payment nobody can match), and
GITS's run for this year waiting for approval. Idempotent: a second load adds nothing.

Every number made up here is flagged as a placeholder; documents then carry the EXEMPEL banner."""

import datetime

from django.utils import timezone

from bibblix.members import services as members
from bibblix.members.models import Organisation

from . import demo_payments, services
from .models import FeeSchedule, FeeTier, FeeType, FeeVat, Invoice, Issuer, Payment, VatCategory
from .ocr import luhn_digit
from .payment_models import Reminder

KR = 100
# (up to population, one-off, yearly direct, yearly through the group) in kr. The first three
# columns are the association's published membership tiers; the group column is an example.
TIERS = [
    (6_999, 5_000, 5_000, 4_000),
    (14_999, 5_000, 10_000, 8_000),
    (24_999, 10_000, 25_000, 20_000),
    (49_999, 10_000, 35_000, 28_000),
    (99_999, 10_000, 50_000, 40_000),
    (149_999, 20_000, 65_000, 52_000),
    (100_000_000, 25_000, 80_000, 64_000),
]
EXEMPT = "Medlemsavgift, utanför momsens tillämpningsområde (exempel)"
OUTSIDE_SCOPE = [
    FeeType.MEMBERSHIP_ONE_OFF,
    FeeType.MEMBERSHIP_YEARLY,
    FeeType.GROUP_FEE,
    FeeType.GROUP_ONE_OFF_SHARE,
    FeeType.GROUP_SUBSIDY,
]


def load(out=print) -> None:
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        _schedule(year)
    sambruk, gits = _issuers()
    _placeholders()
    last, this = today.year - 1, today.year
    for issuer, year, approve in [(sambruk, last, True), (gits, last, True),
                                  (sambruk, this, True), (gits, this, False)]:  # fmt: skip
        run = services.compute_run(issuer, year)
        if run is not None and approve:
            issue_day = min(datetime.date(year, 1, 20), today)
            services.approve_run(run, None, "Demodata", today=issue_day)
    demo_payments.load(out=out)
    out(
        f"  billing: fee schedules {last} and {this} (example amounts), "
        f"{Invoice.objects.exclude(number='').count()} invoices, "
        f"{Payment.objects.count()} payments, {Reminder.objects.count()} reminder(s), "
        f"{len(services.pending_runs())} run(s) waiting for approval"
    )


def _schedule(year: int) -> FeeSchedule:
    schedule, _ = FeeSchedule.objects.update_or_create(
        year=year,
        defaults={
            "is_example": True,
            "population_reference_date": datetime.date(year - 1, 12, 31),
            "connection_fee_ore": 10_000 * KR,
            "service_basis": FeeSchedule.ServiceBasis.PER_INHABITANT,
            "service_per_inhabitant_ore": 100,
            "service_floor_ore": 5_000 * KR,
            "service_ceiling_ore": 150_000 * KR,
            "group_fee_ore": 250_000 * KR,
            "group_one_off_share_basis_points": 5000,
            "group_subsidy_per_inhabitant_ore": 32,
        },
    )
    schedule.tiers.exclude(max_population__in=[t[0] for t in TIERS]).delete()
    for top, one_off, direct, group in TIERS:
        FeeTier.objects.update_or_create(
            schedule=schedule,
            max_population=top,
            defaults={
                "one_off_fee_ore": one_off * KR,
                "direct_fee_ore": direct * KR,
                "group_fee_ore": group * KR,
            },
        )
    for fee_type in OUTSIDE_SCOPE:
        FeeVat.objects.get_or_create(
            schedule=schedule,
            fee_type=fee_type,
            defaults={"category": VatCategory.OUTSIDE_SCOPE, "exemption_reason": EXEMPT},
        )
    return schedule


def _placeholder_number(serial: int) -> str:
    nine = f"21299{serial:04d}"  # not a real organisation: flagged as a placeholder
    digits = nine + luhn_digit(nine)
    return f"{digits[:6]}-{digits[6:]}"


def _placeholders() -> None:
    """Organisation numbers and Peppol ids for demo organisations that have none."""
    for organisation in Organisation.objects.filter(organisation_number="").order_by("pk"):
        number = _placeholder_number(organisation.pk % 10_000)
        organisation.organisation_number = number
        organisation.organisation_number_is_placeholder = True
        organisation.peppol_id = organisation.peppol_id or f"0007:{number.replace('-', '')}"
        if (
            not organisation.invoice_reference
            and organisation.kind != Organisation.Kind.ASSOCIATION
        ):
            organisation.invoice_reference = f"DEMO-{organisation.pk}"
        organisation.save()


def _issuers() -> tuple[Issuer, Issuer]:
    _placeholders()  # first: the VAT numbers below are made from the organisation numbers
    association = members.association()
    gits = Organisation.objects.filter(kind=Organisation.Kind.INVOICING_BODY).order_by("pk").first()
    made = []
    # 5050-1055 is Bankgirot's published test number; GITS's is made up (check digit valid).
    for organisation, prefix, bankgiro in (
        (association, "SB", "5050-1055"),
        (gits, "GI", "9900-1232"),
    ):
        digits = organisation.organisation_number.replace("-", "")
        issuer, _ = Issuer.objects.get_or_create(
            organisation=organisation,
            defaults={
                "vat_number": f"SE{digits}01",
                "bankgiro": bankgiro,
                "is_placeholder": True,
                "number_prefix": prefix,
            },
        )
        made.append(issuer)
    return made[0], made[1]
