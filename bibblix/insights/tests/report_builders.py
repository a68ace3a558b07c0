"""Builders for the follow-up tests (budget, reconciliation, review, status report): a small
register shaped like the real arrangement. Sambruk (the association) invoices direct members;
VGR holds the group membership and GITS invoices the group's municipalities."""

import datetime
from types import SimpleNamespace

from bibblix.members.models import ConnectionEvent, Contact, Library, Membership, Organisation

State = ConnectionEvent.State
ADDRESS = {"street": "Storgatan 1", "postcode": "449 80", "city": "Alafors"}
Kind = Organisation.Kind


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def municipality(name: str, code: str, *, events=(), route="direct", group=None, **fields):
    """A municipality with a library, a membership since 2020 and the given (state, date) steps."""
    fields = {
        **ADDRESS,
        "organisation_number": "212000-1355",
        "peppol_id": "0007:2120001355",
        "invoice_reference": "KF-1",
        "population": 30000,
        **fields,
    }
    found = Organisation.objects.create(
        kind=Kind.MUNICIPALITY, name=name, municipality_code=code, **fields
    )
    Library.objects.create(municipality=found, name=f"{name} bibliotek")
    Membership.objects.create(
        organisation=found, route=route, group=group, start_date=day("2020-01-01")
    )
    for state, when in events:
        ConnectionEvent.objects.create(organisation=found, state=state, effective_date=day(when))
    return found


def register() -> SimpleNamespace:
    """Sambruk, GITS, VGR and five municipalities whose 2026 Q4 has every kind of event:
    Ale (direct, connected since 2024), Borås (through VGR since 2025), Kungälv (goes live
    2026-11-01), Lerum (notice 2026-10-15, ends 2027-01-01), Tjörn (ended 2026-09-30)."""
    sambruk = Organisation.objects.create(
        kind=Kind.ASSOCIATION, name="Sambruk", organisation_number="802426-0481", **ADDRESS
    )
    gits = Organisation.objects.create(
        kind=Kind.INVOICING_BODY, name="GITS", organisation_number="222000-1453", **ADDRESS
    )
    vgr = Organisation.objects.create(
        kind=Kind.REGION,
        name="Västra Götalandsregionen",
        abbreviation="VGR",
        peppol_id="0007:2321000131",
        invoice_reference="VGR-1",
        **ADDRESS,
    )
    Membership.objects.create(
        organisation=vgr,
        route=Membership.Route.GROUP,
        start_date=day("2020-01-01"),
        invoiced_by=gits,
    )
    Contact.objects.create(
        organisation=sambruk,
        role=Contact.Role.COORDINATOR,
        name="Kim Koordinator",
        email="kim@sambruk.example",
    )
    Contact.objects.create(
        organisation=sambruk,
        role=Contact.Role.COORDINATOR,
        name="Alva Andersson",
        title="samordnare",
    )
    Contact.objects.create(
        organisation=sambruk,
        role=Contact.Role.COORDINATOR,
        name="Gammal Koordinator",
        is_active=False,
    )
    ale = municipality("Ale", "1440", events=[(State.CONNECTED, "2024-01-01")])
    boras = municipality(
        "Borås", "1490", route="through_group", group=vgr, events=[(State.CONNECTED, "2025-03-01")]
    )
    kungalv = municipality(
        "Kungälv",
        "1482",
        events=[
            (State.APPLICATION, "2026-05-01"),
            (State.AGREEMENT_SIGNED, "2026-09-01"),
            (State.CONNECTED, "2026-11-01"),
        ],
    )
    lerum = municipality(
        "Lerum",
        "1441",
        events=[
            (State.CONNECTED, "2023-01-01"),
            (State.NOTICE_GIVEN, "2026-10-15"),
            (State.ENDED, "2027-01-01"),
        ],
    )
    tjorn = municipality(
        "Tjörn", "1419", events=[(State.CONNECTED, "2022-01-01"), (State.ENDED, "2026-09-30")]
    )
    for found in (ale, lerum, kungalv):
        Contact.objects.create(
            organisation=found, role=Contact.Role.LIBRARY, name=f"Bibliotekarie {found.name}"
        )
    return SimpleNamespace(
        sambruk=sambruk,
        gits=gits,
        vgr=vgr,
        ale=ale,
        boras=boras,
        kungalv=kungalv,
        lerum=lerum,
        tjorn=tjorn,
    )


KR = 100


def billing(reg: SimpleNamespace, year: int = 2026) -> SimpleNamespace:
    """A fee schedule for `year` (one tier: 10 000 kr a year direct, 8 000 kr through the group,
    group fee 50 000 kr; 25 % VAT on everything) and Sambruk and GITS as issuers."""
    from bibblix.billing.models import FeeSchedule, FeeTier, Issuer

    schedule = FeeSchedule.objects.create(year=year, group_fee_ore=50_000 * KR)
    FeeTier.objects.create(
        schedule=schedule,
        max_population=10_000_000,
        direct_fee_ore=10_000 * KR,
        group_fee_ore=8_000 * KR,
    )
    sambruk = Issuer.objects.create(
        organisation=reg.sambruk,
        vat_number="SE802426048101",
        bankgiro="5050-1055",
        number_prefix="SB",
    )
    gits = Issuer.objects.create(
        organisation=reg.gits, vat_number="SE222000145301", bankgiro="5050-1055", number_prefix="GI"
    )
    return SimpleNamespace(sambruk=sambruk, gits=gits)


def invoice_year(issuer, user, year: int, on: datetime.date):
    """Compute and approve `issuer`'s run for the whole `year`, issued on `on`."""
    from bibblix.billing import services

    run = services.compute_run(issuer, year)
    return services.approve_run(run, user, "test", today=on) if run else None


def pay(invoice_number: str, amount_ore: int, on: str):
    from bibblix.billing.models import Invoice, Payment

    invoice = Invoice.objects.get(number=invoice_number)
    return Payment.objects.create(
        invoice=invoice,
        amount_ore=amount_ore,
        paid_on=day(on),
        source="manual",
        reference=invoice.ocr,
    )
