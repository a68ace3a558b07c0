"""Small builders for billing tests: a fee schedule with round numbers, the association and a
region's invoicing body as issuers, and municipalities with dated memberships and connections.

The schedule (year 2025, 365 days):
- tiers (up to population: one-off / yearly direct / yearly through group, in kr):
  7 000: 5 000 / 5 000 / 4 000;  15 000: 5 000 / 10 000 / 8 000;  25 000: 10 000 / 25 000 / 20 000;
  50 000: 10 000 / 35 000 / 28 000; re-joining pays 50 % of the one-off fee;
- connection fee 10 000 kr; service fee 1 kr per inhabitant, floor 10 000 kr, ceiling 100 000 kr;
- group fee 50 000 kr a year; the region pays 50 % of one-off and connection fees and 32 öre per
  inhabitant in the year of connection;
- VAT: membership and group fees outside the scope (O), the rest 25 % (S).
"""

import datetime

from bibblix.billing.models import FeeSchedule, FeeTier, FeeType, FeeVat, Issuer, VatCategory
from bibblix.billing.ocr import luhn_digit
from bibblix.members import services as members
from bibblix.members.models import ConnectionEvent, Membership, Organisation

D = datetime.date
KR = 100
EXEMPT = "Medlemsavgift, utanför momsens tillämpningsområde"
O_FEES = [
    FeeType.MEMBERSHIP_ONE_OFF,
    FeeType.MEMBERSHIP_YEARLY,
    FeeType.GROUP_FEE,
    FeeType.GROUP_ONE_OFF_SHARE,
    FeeType.GROUP_SUBSIDY,
]


def schedule(year: int = 2025) -> FeeSchedule:
    fee_schedule = FeeSchedule.objects.create(
        year=year,
        connection_fee_ore=10_000 * KR,
        service_per_inhabitant_ore=100,
        service_floor_ore=10_000 * KR,
        service_ceiling_ore=100_000 * KR,
        group_fee_ore=50_000 * KR,
        group_one_off_share_basis_points=5000,
        group_subsidy_per_inhabitant_ore=32,
    )
    for top, one_off, direct, group in [
        (7_000, 5_000, 5_000, 4_000),
        (15_000, 5_000, 10_000, 8_000),
        (25_000, 10_000, 25_000, 20_000),
        (50_000, 10_000, 35_000, 28_000),
    ]:
        FeeTier.objects.create(
            schedule=fee_schedule,
            max_population=top,
            one_off_fee_ore=one_off * KR,
            direct_fee_ore=direct * KR,
            group_fee_ore=group * KR,
        )
    for fee_type in O_FEES:
        FeeVat.objects.create(
            schedule=fee_schedule,
            fee_type=fee_type,
            category=VatCategory.OUTSIDE_SCOPE,
            exemption_reason=EXEMPT,
        )
    return fee_schedule


def org_number(nine_digits: str) -> str:
    """A valid organisation number: nine digits and their Luhn check digit, as NNNNNN-NNNN."""
    digits = nine_digits + luhn_digit(nine_digits)
    return f"{digits[:6]}-{digits[6:]}"


def _address(name: str) -> dict:
    return {"street": f"{name}gatan 1", "postcode": "411 01", "city": name}


def organisation(name: str, kind: str, number: str, **fields) -> Organisation:
    digits = number.replace("-", "")
    return Organisation.objects.create(
        name=name,
        kind=kind,
        organisation_number=number,
        peppol_id=f"0007:{digits}",
        invoice_reference=fields.pop("invoice_reference", f"REF-{name}"),
        **_address(name),
        **fields,
    )


def issuer(org: Organisation, prefix: str) -> Issuer:
    digits = org.organisation_number.replace("-", "")
    return Issuer.objects.create(
        organisation=org,
        vat_number=f"SE{digits}01",
        bankgiro="5050-1055",
        number_prefix=prefix,
    )


def arrangement():
    """Sambruk (association, issuer SB), GITS (invoicing body, issuer GI) and VGR with a group
    membership since 2021 whose municipalities GITS invoices."""
    sambruk = organisation("Sambruk", Organisation.Kind.ASSOCIATION, org_number("802426048"))
    gits = organisation("GITS", Organisation.Kind.INVOICING_BODY, org_number("222000145"))
    vgr = organisation("VGR", Organisation.Kind.REGION, org_number("232100013"), abbreviation="VGR")
    Membership.objects.create(
        organisation=vgr, route=Membership.Route.GROUP, start_date=D(2021, 1, 1), invoiced_by=gits
    )
    return issuer(sambruk, "SB"), issuer(gits, "GI"), vgr


def municipality(
    name: str,
    code: str,
    population: int,
    *,
    member_since=D(2019, 1, 1),
    connected_since=D(2020, 1, 1),
    group: Organisation | None = None,
) -> Organisation:
    org = organisation(
        name,
        Organisation.Kind.MUNICIPALITY,
        org_number(f"21200{code}"),
        municipality_code=code,
        population=population,
        population_year=2024,
        population_source="SCB",
    )
    if member_since:
        Membership.objects.create(
            organisation=org,
            route=Membership.Route.THROUGH_GROUP if group else Membership.Route.DIRECT,
            group=group,
            start_date=member_since,
        )
    if connected_since:
        connect(org, connected_since)
    return org


def connect(org: Organisation, day: datetime.date) -> None:
    ConnectionEvent.objects.create(
        organisation=org, state=ConnectionEvent.State.CONNECTED, effective_date=day
    )


def end(org: Organisation, day: datetime.date) -> None:
    """The connection and the membership end on `day` (the first day without them)."""
    ConnectionEvent.objects.create(
        organisation=org, state=ConnectionEvent.State.ENDED, effective_date=day
    )
    org.memberships.filter(end_date__isnull=True).update(end_date=day)
    members.sync_group(org)
