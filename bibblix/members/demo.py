"""Demo member register: the municipalities of ../shared/data/municipalities.csv with libraries
and connection histories (including a new connection and a termination this year)."""

import csv
import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import ConnectionEvent, Library, Organisation
from .services import record_event

State = ConnectionEvent.State

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


def _rows() -> list[dict]:
    path = Path(settings.SHARED_DIR) / "data" / "municipalities.csv"
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    return FALLBACK


def load(out=print) -> None:
    region, _ = Organisation.objects.update_or_create(
        kind=Organisation.Kind.REGION,
        name="Västra Götalandsregionen",
        defaults={"county": "Västra Götaland"},
    )
    Organisation.objects.update_or_create(
        kind=Organisation.Kind.INVOICING_BODY,
        name="VGR IT (demo: fakturerar gruppens kommuner)",
        defaults={"county": "Västra Götaland"},
    )
    year = timezone.localdate().year
    rows = _rows()
    for row in rows:
        municipality, _ = Organisation.objects.update_or_create(
            municipality_code=row["municipality_code"],
            defaults={
                "kind": Organisation.Kind.MUNICIPALITY,
                "name": row["name"],
                "county": row["county"],
                "population": int(row["population_approx_2024"]),
                "population_year": 2024,
                "population_source": "Approximate demo figure (shared/data/municipalities.csv)",
                "group": region if row["membership"] == "group" else None,
            },
        )
        for name in EXTRA_LIBRARIES.get(row["name"], [f"{row['name']} bibliotek"]):
            Library.objects.get_or_create(municipality=municipality, name=name)
        if not municipality.connection_events.exists():
            _history(municipality, year)
    out(f"  members: {len(rows)} municipalities, {Library.objects.count()} libraries")


def _history(municipality: Organisation, year: int) -> None:
    reason = "Demodata"
    if municipality.name == NEW_THIS_YEAR:
        record_event(municipality, State.ENQUIRY, datetime.date(year - 1, 9, 1), reason)
        record_event(municipality, State.APPLICATION, datetime.date(year - 1, 10, 15), reason)
        record_event(municipality, State.AGREEMENT_SIGNED, datetime.date(year - 1, 12, 1), reason)
        record_event(municipality, State.CONNECTED, datetime.date(year, 2, 1), reason)
    elif municipality.name == ENDED_THIS_YEAR:
        record_event(municipality, State.CONNECTED, datetime.date(2020, 1, 1), reason)
        record_event(
            municipality, State.NOTICE_GIVEN, datetime.date(year - 1, 12, 15), "Budgetskäl (demo)"
        )
        record_event(
            municipality,
            State.ENDED,
            datetime.date(year, 6, 30),
            "Uppsägningstiden löpte ut (demo)",
        )
    else:
        record_event(
            municipality,
            State.CONNECTED,
            datetime.date(2019 if municipality.group_id is None else 2021, 1, 1),
            reason,
        )
