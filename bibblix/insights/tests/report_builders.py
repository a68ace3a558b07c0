"""Builders for the follow-up tests (budget, reconciliation, review, status report): a small
register shaped like the real arrangement. Sambruk (the association) invoices direct members;
VGR holds the group membership and GITS invoices the group's municipalities."""

import datetime
from types import SimpleNamespace

from bibblix.members.models import ConnectionEvent, Contact, Library, Membership, Organisation

State = ConnectionEvent.State
Kind = Organisation.Kind


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def municipality(name: str, code: str, *, events=(), route="direct", group=None, **fields):
    """A municipality with a library, a membership since 2020 and the given (state, date) steps."""
    fields = {
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
    sambruk = Organisation.objects.create(kind=Kind.ASSOCIATION, name="Sambruk")
    gits = Organisation.objects.create(kind=Kind.INVOICING_BODY, name="GITS")
    vgr = Organisation.objects.create(
        kind=Kind.REGION, name="Västra Götalandsregionen", abbreviation="VGR"
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
