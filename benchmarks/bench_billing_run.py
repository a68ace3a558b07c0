"""A billing run over 290 generated municipalities (target: under 10 s for compute + approve).

Builds 290 municipalities (a third through a regional group whose invoicing body invoices them,
the rest direct members; some connect or end during the year) in their own database (a temporary
SQLite file, and a `bench_billing_run` PostgreSQL database when BENCH_POSTGRES_URL or the default
local server answers), times the year's runs of both issuers, a repeat (nothing new) and a rerun
after ten terminations (credit notes only), prints the timings and drops what it made.
"""

import datetime
import os
import sys
import time
from pathlib import Path

from per_database import run_per_database

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = 290
YEAR = 2025


def _number(serial: int) -> str:
    from bibblix.billing.ocr import luhn_digit

    nine = f"21299{serial:04d}"
    digits = nine + luhn_digit(nine)
    return f"{digits[:6]}-{digits[6:]}"


def _organisation(Organisation, serial: int, name: str, kind: str, **fields):
    number = _number(serial)
    return Organisation(
        name=name,
        kind=kind,
        organisation_number=number,
        organisation_number_is_placeholder=True,
        peppol_id=f"0007:{number.replace('-', '')}",
        street="Box 1",
        postcode="400 10",
        city=name,
        invoice_reference=f"REF-{serial}",
        **fields,
    )


def build():
    from bibblix.billing.demo import _schedule
    from bibblix.billing.models import Issuer
    from bibblix.members.models import ConnectionEvent, Membership, Organisation

    Kind, Route, State = Organisation.Kind, Membership.Route, ConnectionEvent.State
    _schedule(YEAR)
    association = _organisation(Organisation, 9001, "Sambruk", Kind.ASSOCIATION)
    body = _organisation(Organisation, 9002, "GITS", Kind.INVOICING_BODY)
    region = _organisation(Organisation, 9003, "VGR", Kind.REGION)
    Organisation.objects.bulk_create([association, body, region])
    municipalities = Organisation.objects.bulk_create(
        _organisation(
            Organisation,
            i,
            f"Kommun {i}",
            Kind.MUNICIPALITY,
            municipality_code=f"{i:04d}",
            population=3_000 + 1_700 * i,
            population_year=2024,
            population_source="bench",
        )  # fmt: skip
        for i in range(MUNICIPALITIES)
    )
    memberships = [Membership(organisation=region, route=Route.GROUP,
                              start_date=datetime.date(2021, 1, 1), invoiced_by=body)]  # fmt: skip
    events = []
    for i, org in enumerate(municipalities):
        start = datetime.date(2020, 1, 1) if i % 7 else datetime.date(YEAR, 1 + i % 12, 15)
        through = i % 3 == 0
        memberships.append(
            Membership(
                organisation=org,
                route=Route.THROUGH_GROUP if through else Route.DIRECT,
                group=region if through else None,
                start_date=start,
            )  # fmt: skip
        )
        events.append(
            ConnectionEvent(organisation=org, state=State.CONNECTED, effective_date=start)
        )
    Membership.objects.bulk_create(memberships)
    ConnectionEvent.objects.bulk_create(events)
    issuers = [
        Issuer.objects.create(
            organisation=org,
            vat_number=f"SE{org.organisation_number.replace('-', '')}01",
            bankgiro="5050-1055",
            number_prefix=prefix,
        )  # fmt: skip
        for org, prefix in ((association, "SB"), (body, "GI"))
    ]
    return issuers, municipalities


def run_one() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bibblix.billing import services
    from bibblix.billing.models import Invoice
    from bibblix.members.models import ConnectionEvent

    issuers, municipalities = build()
    print(f"  {MUNICIPALITIES} municipalities, {MUNICIPALITIES // 3 + 1} through a regional group")

    def timed(label: str) -> float:
        started = time.perf_counter()
        runs = [services.compute_run(issuer, YEAR) for issuer in issuers]
        computed = time.perf_counter() - started
        for run in runs:
            if run is not None:
                services.approve_run(run, None, "bench")
        elapsed = time.perf_counter() - started
        print(f"  {label}: {elapsed:.2f} s (compute {computed:.2f} s, approve "
              f"{elapsed - computed:.2f} s), {Invoice.objects.count()} documents in all")  # fmt: skip
        return elapsed

    first = timed("year run, both issuers, compute + approve")
    timed("the same run again (nothing new)")
    for org in municipalities[1:11]:
        ConnectionEvent.objects.create(
            organisation=org, state=ConnectionEvent.State.ENDED,
            effective_date=datetime.date(YEAR, 7, 1),
        )  # fmt: skip
        org.memberships.update(end_date=datetime.date(YEAR, 7, 1))
    timed("after ten terminations on 1 July (credit notes)")
    print(f"  target < 10 s for the year run: {'met' if first < 10 else 'NOT met'}")


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD"):
        run_one()
    else:
        sys.exit(run_per_database(__file__, "bench_billing_run"))
