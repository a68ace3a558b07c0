"""Demo member register: the municipalities of ../shared/data/municipalities.csv with libraries,
contacts, memberships (31 through Västra Götalandsregionen's group membership) and connection
histories: a new connection and a termination this year, a notice that takes effect later, and a
go-live ahead. Organisation numbers are left empty: the shared file has none, and a made-up
number must never reach an invoice. Idempotent: a second run adds nothing."""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import services
from .lifecycle import add_months
from .models import Contact, Library, Membership, Organisation

Route = Membership.Route

# Used only when ../shared/ is absent (a user's own clone): a few of the real members.
FALLBACK = [
    {
        "name": "Ale",
        "municipality_code": "1440",
        "county": "Västra Götaland",
        "population_approx_2024": "32500",
        "membership": "group",
        "region_group": "VGR",
    },
    {
        "name": "Borås",
        "municipality_code": "1490",
        "county": "Västra Götaland",
        "population_approx_2024": "115000",
        "membership": "group",
        "region_group": "VGR",
    },
    {
        "name": "Tjörn",
        "municipality_code": "1419",
        "county": "Västra Götaland",
        "population_approx_2024": "16000",
        "membership": "group",
        "region_group": "VGR",
    },
    {
        "name": "Strömstad",
        "municipality_code": "1486",
        "county": "Västra Götaland",
        "population_approx_2024": "13400",
        "membership": "group",
        "region_group": "VGR",
    },
    {
        "name": "Stockholm",
        "municipality_code": "0180",
        "county": "Stockholm",
        "population_approx_2024": "988000",
        "membership": "direct",
        "region_group": "",
    },
    {
        "name": "Malmö",
        "municipality_code": "1280",
        "county": "Skåne",
        "population_approx_2024": "360000",
        "membership": "direct",
        "region_group": "",
    },
]

EXTRA_LIBRARIES = {
    "Göteborg": ["Stadsbiblioteket Göteborg", "Frölunda bibliotek", "Angereds bibliotek"],
    "Stockholm": ["Stockholms stadsbibliotek", "Kista bibliotek"],
    "Malmö": ["Malmö stadsbibliotek", "Garaget"],
    "Borås": ["Borås stadsbibliotek", "Sandareds bibliotek"],
}

NEW_THIS_YEAR = "Tjörn"  # connected during the current year
ENDED_THIS_YEAR = "Strömstad"  # gave notice last year, ended during the current year
NOTICE_PENDING = "Gullspång"  # gave notice recently; still connected, ends a few months ahead
GOING_LIVE = "Karlsborg"  # agreement signed, go-live in ten days
GROUP_START = datetime.date(2021, 1, 1)
DIRECT_START = datetime.date(2019, 1, 1)
REASON = "Demodata"
CONTACT_ROLES = [
    (Contact.Role.LIBRARY, "Bibliotekschef (demo)", "bibliotek"),
    (Contact.Role.CULTURE_ADMINISTRATION, "Kulturchef (demo)", "kultur"),
    (Contact.Role.ECONOMY, "Ekonomihandläggare (demo)", "ekonomi"),
]
COORDINATORS = [
    ("Samordnare Bibblix (demo)", "samordnare@bibblix.example"),
    ("Biträdande samordnare (demo)", "samordnare2@bibblix.example"),
]


def _rows() -> list[dict]:
    path = Path(settings.SHARED_DIR) / "data" / "municipalities.csv"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    return FALLBACK


def load(out=print) -> None:
    region = _organisations()
    today = timezone.localdate()
    rows = _rows()
    for row in rows:
        municipality = _municipality(row, region)
        for name in EXTRA_LIBRARIES.get(row["name"], [f"{row['name']} bibliotek"]):
            Library.objects.get_or_create(municipality=municipality, name=name)
        _contacts(municipality)
        if not municipality.connection_events.exists():
            start = _history(municipality, today, is_direct=row["membership"] != "group")
            _membership(municipality, region if row["membership"] == "group" else None, start)
    connected = services.connected_on(today).count()
    out(
        f"  members: {len(rows)} municipalities ({connected} connected today), "
        f"{Library.objects.count()} libraries, {Contact.objects.count()} contacts"
    )


def _organisations() -> Organisation:
    invoicing_body, _ = Organisation.objects.update_or_create(
        kind=Organisation.Kind.INVOICING_BODY,
        defaults={
            "abbreviation": "GITS",
            "name": "GITS – regionens IT-organ (demo)",
            "county": "Västra Götaland",
            "address_line": "Ekonomi (demo)",
            "street": "Box 1",
            "postcode": "405 44",
            "city": "Göteborg",
        },
    )
    region, _ = Organisation.objects.update_or_create(
        kind=Organisation.Kind.REGION,
        name="Västra Götalandsregionen",
        defaults={
            "county": "Västra Götaland",
            "abbreviation": "VGR",
            "invoiced_by": invoicing_body,
            "address_line": "Regionens hus, fakturor (demo)",
            "street": "Box 2",
            "postcode": "405 44",
            "city": "Göteborg",
            "invoice_reference": "VGR-KULTUR-1",
        },
    )
    if not region.memberships.exists():
        services.record_membership(
            region, Route.GROUP, GROUP_START, note=REASON, invoiced_by=invoicing_body
        )
    association, _ = Organisation.objects.update_or_create(
        kind=Organisation.Kind.ASSOCIATION,
        defaults={
            "abbreviation": "Sambruk",
            "name": "Föreningen Sambruk (demo)",
            "street": "Box 3",
            "postcode": "111 11",
            "city": "Stockholm",
        },
    )
    for name, email in COORDINATORS:
        Contact.objects.get_or_create(
            organisation=association,
            role=Contact.Role.COORDINATOR,
            name=name,
            defaults={"email": email},
        )
    return region


def _municipality(row: dict, region: Organisation) -> Organisation:
    municipality, _ = Organisation.objects.update_or_create(
        municipality_code=row["municipality_code"],
        defaults={
            "kind": Organisation.Kind.MUNICIPALITY,
            "name": row["name"],
            "county": row["county"],
            "population": int(row["population_approx_2024"]),
            "population_year": 2024,
            "population_source": "Ungefärlig demosiffra (shared/data/municipalities.csv)",
            "address_line": "Fakturaservice (demo)",
            "street": "Box 10",
            "postcode": "400 10",
            "city": row["name"],
            "invoice_reference": f"BIB-{row['municipality_code']}",
        },
    )
    return municipality


def _contacts(municipality: Organisation) -> None:
    slug = municipality.municipality_code
    for role, name, mailbox in CONTACT_ROLES:
        Contact.objects.get_or_create(
            organisation=municipality,
            role=role,
            defaults={"name": name, "email": f"{mailbox}@kommun{slug}.example"},
        )


def _membership(municipality: Organisation, region: Organisation | None, start) -> None:
    if municipality.memberships.exists():
        return
    if region is None:
        services.record_membership(municipality, Route.DIRECT, start, note=REASON)
    else:
        services.record_membership(municipality, Route.THROUGH_GROUP, start, region, note=REASON)


def _history(municipality: Organisation, today: datetime.date, is_direct: bool) -> datetime.date:
    """Write one demo history; returns the day the association membership starts."""
    name, year = municipality.name, today.year
    if name == NEW_THIS_YEAR:
        signed = datetime.date(year - 1, 12, 1)
        _path(
            municipality,
            datetime.date(year - 1, 9, 1),
            signed,
            min(datetime.date(year, 2, 1), today),
        )
        return signed
    if name == GOING_LIVE:
        signed = today - datetime.timedelta(days=30)
        _path(
            municipality,
            today - datetime.timedelta(days=120),
            signed,
            today + datetime.timedelta(days=10),
        )
        return signed
    start = DIRECT_START if is_direct else GROUP_START
    _path(municipality, None, start - datetime.timedelta(days=45), start)
    if name == ENDED_THIS_YEAR:
        services.register_termination(
            municipality,
            datetime.date(year - 1, 12, 15),
            end_date=min(datetime.date(year, 7, 1), today),
            reason="Budgetskäl (demo)",
            notify=False,
        )
    elif name == NOTICE_PENDING:
        notice = today - datetime.timedelta(days=20)
        services.register_termination(
            municipality,
            notice,
            end_date=add_months(notice, 3),
            notice_months=3,
            reason="Omprioritering i kulturnämnden (demo)",
            notify=False,
        )
    return start


def _path(municipality, enquiry, signed, go_live) -> None:
    if enquiry:
        services.register_enquiry(municipality, enquiry, REASON)
    services.register_application(municipality, signed - datetime.timedelta(days=45), REASON)
    services.sign_agreement(municipality, signed, REASON)
    services.connect(municipality, go_live, REASON)
