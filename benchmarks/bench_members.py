"""Member register figures: "who is connected on D" over a large history, and a register import.

Builds 290 municipalities (every Swedish one) with six dated steps each in its own database (a
temporary SQLite file, and a `bench_members` PostgreSQL database when BENCH_POSTGRES_URL or the
default local server answers), prints timings, and drops what it made.
"""

import datetime
import os
import sys
import time
from pathlib import Path

from per_database import run_per_database

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = 290


def run_one() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bibblix.members import register_io, services
    from bibblix.members.models import ConnectionEvent, Organisation

    State = ConnectionEvent.State
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Kommun {i}", municipality_code=f"{i:04d}")
        for i in range(MUNICIPALITIES)
    )
    events = []
    for i, org in enumerate(organisations):
        start = datetime.date(2019, 1, 1) + datetime.timedelta(days=i)
        steps = [State.ENQUIRY, State.APPLICATION, State.AGREEMENT_SIGNED, State.CONNECTED]
        if i % 3 == 0:
            steps += [State.NOTICE_GIVEN, State.ENDED]
        for n, state in enumerate(steps):
            events.append(
                ConnectionEvent(
                    organisation=org,
                    state=state,
                    effective_date=start + datetime.timedelta(days=200 * n),
                )
            )
    ConnectionEvent.objects.bulk_create(events)
    print(f"  {MUNICIPALITIES} municipalities, {len(events)} connection steps")

    days = [datetime.date(2019, 1, 1) + datetime.timedelta(days=d * 15) for d in range(100)]
    started = time.perf_counter()
    counts = [len(list(services.connected_on(day))) for day in days]
    elapsed = (time.perf_counter() - started) / len(days) * 1000
    print(f"  connected_on(D), list of up to {max(counts)} rows: {elapsed:.1f} ms per day")

    started = time.perf_counter()
    for org in organisations[:100]:
        services.is_connected(org, days[50])
    print(f"  is_connected: {(time.perf_counter() - started) * 10:.2f} ms per call")

    started = time.perf_counter()
    org = organisations[1]
    services.register_termination(
        org, datetime.date(2030, 1, 1), notice_months=6, reason="bench", notify=False
    )
    print(f"  register_termination: {(time.perf_counter() - started) * 1000:.1f} ms")

    header = "name,municipality_code,county,population,membership,region_group\n"
    lines = [
        f"Kommun {i},{i:04d},Län {i % 21},{10000 + i},direct,\n" for i in range(MUNICIPALITIES)
    ]
    content = (header + "".join(lines)).encode()
    for label in ("first (sets population, adds memberships)", "again (no changes)"):
        started = time.perf_counter()
        report = register_io.import_register(register_io.read_rows("r.csv", content))
        elapsed = time.perf_counter() - started
        print(
            f"  import {MUNICIPALITIES} rows, {label}: {elapsed:.2f} s "
            f"({len(report.updated)} updated, {len(report.unchanged)} unchanged, "
            f"{len(report.errors)} bad)"
        )


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD"):
        run_one()
    else:
        sys.exit(run_per_database(__file__, "bench_members"))
