"""Member register figures: "who is connected on D" over a large history, and a register import.

Builds 290 municipalities (every Swedish one) with six dated steps each in its own database (a
temporary SQLite file, and a `bench_members` PostgreSQL database when BENCH_POSTGRES_URL or the
default local server answers), prints timings, and drops what it made.
"""

import datetime
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUNICIPALITIES = 290
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"


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


def _postgres_url() -> str | None:
    url = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
    try:
        import psycopg

        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3).close()
    except Exception:
        return None
    return url


def _run(database_url: str, label: str) -> int:
    print(f"--- {label}", flush=True)
    with tempfile.TemporaryDirectory() as var_dir:  # never var/ of the checkout
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BENCH_CHILD": "1",
            "BIBBLIX_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
        }
        # Runs this same script with a fresh Django per database (settings are read at setup).
        return subprocess.call([sys.executable, __file__], env=env, cwd=ROOT)  # noqa: S603


def main() -> int:
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        status |= _run(f"sqlite:///{tmp}/bench_members.sqlite3", "SQLite")
    server = _postgres_url()
    if server is None:
        print("--- PostgreSQL: not reachable, skipped")
        return status
    import psycopg

    admin_url = server.replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS bench_members")
        conn.execute("CREATE DATABASE bench_members")
    try:
        status |= _run(server.rsplit("/", 1)[0] + "/bench_members", "PostgreSQL")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS bench_members")
    return status


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD"):
        run_one()
    else:
        sys.exit(main())
