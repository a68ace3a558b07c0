"""Borrow throughput: loans/s at 32 parallel clients on PostgreSQL, through HTTP.

Creates the database BENCH_BORROW_DB (default `bench_borrow`) on the server of BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432/postgres), migrates it, seeds children, sessions and books,
starts gunicorn on 127.0.0.1 in the production shape (PostgreSQL, and Redis for the cache and
sessions when REDIS_URL, default redis://127.0.0.1:6379/15, answers; BENCH_REDIS=0 leaves it
out), and drives POST /api/v1/loans from 32 clients (each with its own keep-alive connection and
a logged-in child) for a bounded number of requests and seconds. Prints loans/s, p50/p95 latency
and error counts, then the same load straight into lending.services.borrow(), then stops
gunicorn and drops the database.
"""

import collections
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# BENCH_POSTGRES_URL names an existing database on the server (as in every benchmark script).
ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
SERVER = ADMIN_URL.rsplit("/", 1)[0]
# Its own name by BENCH_BORROW_DB, so that two runs on one server (two checkouts) never drop
# each other's database.
DB_NAME = os.environ.get("BENCH_BORROW_DB", "bench_borrow")
if not DB_NAME.replace("_", "").isalnum():
    raise SystemExit(f"bench_borrow: BENCH_BORROW_DB must be a plain name, not {DB_NAME!r}")
CLIENTS = 32
REQUESTS = int(os.environ.get("BENCH_BORROW_REQUESTS", "6000"))
SECONDS = float(os.environ.get("BENCH_BORROW_SECONDS", "20"))
PATRONS, BOOKS = 3200, 400  # 1,600 children x 5 loans covers the HTTP leg's REQUESTS
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "8"))


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(
        ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(statement)


def seed() -> list[str]:
    """Migrate, then create children (with sessions) and books; returns session keys."""
    import django

    django.setup()
    from django.core.management import call_command

    from bibblix.catalogue.models import Book
    from bibblix.members.models import ConnectionEvent, Library, Organisation
    from bibblix.patrons.models import Patron

    call_command("migrate", verbosity=0)
    town = Organisation.objects.create(name="Benchby", municipality_code="9999")
    ConnectionEvent.objects.create(
        organisation=town, state="connected", effective_date="2020-01-01"
    )
    library = Library.objects.create(municipality=town, name="Benchby bibliotek")
    Book.objects.bulk_create([Book(title=f"Bok {i}") for i in range(BOOKS)])
    Patron.objects.bulk_create(
        [
            Patron(card_hash=secrets.token_hex(32), municipality=town, library=library)
            for _ in range(PATRONS)
        ]
    )
    # HTTP takes the first half, the service leg the last
    return sessions_for(Patron.objects.order_by("pk"))


def sessions_for(patrons) -> list[str]:
    """A logged-in session (of the configured engine) for each of `patrons`; the keys."""
    from importlib import import_module

    from django.conf import settings

    from bibblix.patrons.services import SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for patron in patrons:
        session = store()
        session[SESSION_KEY] = str(patron.public_id)
        session.create()
        keys.append(session.session_key)
    return keys


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def drive(port: int, sessions: list[str], book_ids: list[int]) -> dict:
    """32 clients, each a keep-alive connection of its own, driven from one asyncio loop: a lean
    client (pre-built requests, minimal response parsing) so that the load generator, which
    shares the two cores with the server, takes as little of them as it can."""
    import asyncio

    latencies: list[float] = []
    counts = {"201": 0, "200": 0, "409": 0, "error": 0}
    rules: collections.Counter = collections.Counter()
    token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    budget = [REQUESTS]

    def request(session: str, book: int) -> bytes:
        body = json.dumps({"book": book}).encode()
        head = (
            f"POST /api/v1/loans HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            "Content-Type: application/json\r\n"
            f"Cookie: sessionid={session}; csrftoken={token}\r\nX-CSRFToken: {token}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    # The first half of the children (the service leg takes the other half), each taken by one
    # client for five loans, then the next free child: a client whose connection landed on a
    # less busy worker runs ahead of the others and must not wrap round into the weekly limit.
    children = iter(sessions[: PATRONS // 2])

    async def client(n: int, deadline: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = 0
        while budget[0] > 0 and time.monotonic() < deadline:
            budget[0] -= 1
            if i % 5 == 0:
                session = next(children)
            payload = request(session, book_ids[(n * 7919 + i) % len(book_ids)])
            start = time.perf_counter()
            try:
                writer.write(payload)
                head = await reader.readuntil(b"\r\n\r\n")
                status = head[9:12].decode()
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                answer = await reader.readexactly(length)
                key = status if status in counts else "error"
                if key == "409":
                    rules[json.loads(answer).get("rule", "?")] += 1
            except (OSError, asyncio.IncompleteReadError, ValueError):
                key = "error"
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            latencies.append(time.perf_counter() - start)
            counts[key] += 1
            i += 1
        writer.close()

    async def warm_up(n: int) -> None:
        """Each connection's first requests import code and open database connections in the
        worker: 20 reads of the child's loans per client first, not counted."""
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        session = sessions[-1 - n]  # a child of the service leg's half, which only reads here
        head = (
            f"GET /api/v1/loans HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Cookie: sessionid={session}\r\n\r\n"
        ).encode()
        for _ in range(20):
            writer.write(head)
            answer = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in answer.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
        writer.close()

    async def run() -> float:
        await asyncio.gather(*(warm_up(n) for n in range(CLIENTS)))
        started = time.perf_counter()
        deadline = time.monotonic() + SECONDS
        await asyncio.gather(*(client(n, deadline) for n in range(CLIENTS)))
        return time.perf_counter() - started

    cpu = time.process_time()
    seconds = asyncio.run(run())
    cpu = time.process_time() - cpu
    return {
        "seconds": seconds,
        "latencies": latencies,
        "counts": counts,
        "rules": rules,
        "client_cpu": cpu,
    }


def drive_service(book_ids: list[int]) -> dict:
    """The same load straight into lending.services.borrow() from 32 threads (no HTTP)."""
    from django.db import connection

    from bibblix.lending import services
    from bibblix.patrons.models import Patron

    patrons = list(Patron.objects.select_related("municipality").order_by("-pk")[: PATRONS // 2])
    latencies: list[float] = []
    counts = {"201": 0, "200": 0, "409": 0, "error": 0}
    lock = threading.Lock()
    issued = iter(range(REQUESTS))
    deadline = time.monotonic() + SECONDS

    children = iter(patrons)  # five loans each, then the next free child (as over HTTP)

    def client(n: int) -> None:
        i = 0
        while time.monotonic() < deadline:
            with lock:
                if next(issued, None) is None:
                    break
                if i % 5 == 0:
                    patron = next(children)
            start = time.perf_counter()
            try:
                _loan, created = services.borrow(patron, book_ids[(n * 7919 + i) % len(book_ids)])
                key = "201" if created else "200"
            except services.LendingRefused:
                key = "409"
            except Exception:  # noqa: BLE001
                key = "error"
            with lock:
                counts[key] += 1
                latencies.append(time.perf_counter() - start)
            i += 1
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - started, "latencies": latencies, "counts": counts}


def report(label: str, result: dict) -> None:
    latencies = sorted(result["latencies"])
    counts = result["counts"]
    p50 = statistics.median(latencies) * 1000
    p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
    print(
        f"{label}, {CLIENTS} clients: "
        f"{counts['201'] / result['seconds']:.0f} loans/s ({len(latencies)} requests in "
        f"{result['seconds']:.1f} s), p50 {p50:.1f} ms, p95 {p95:.1f} ms; "
        f"201: {counts['201']}, 200: {counts['200']}, 409: {counts['409']}, errors: {counts['error']}"
    )
    if "client_cpu" in result:
        share = result["client_cpu"] / result["seconds"]
        print(f"  the load generator itself used {share:.0%} of one core of the two")
    if result.get("rules"):
        print(f"  refusals by rule: {dict(result['rules'])}")


def redis_answers(url: str) -> bool:
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


def wait_for(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def production_environment(database: str, **extra: str) -> None:
    """This process's environment as the benchmark's server runs: PostgreSQL database `database`,
    Redis for the cache and sessions when REDIS_URL (default db 15) answers and BENCH_REDIS is
    not 0 (shared with profile_borrow.py)."""
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    if os.environ.get("BENCH_REDIS", "1") != "0" and redis_answers(redis_url):
        os.environ["REDIS_URL"] = redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.update(
        DATABASE_URL=f"{SERVER}/{database}",
        DJANGO_SETTINGS_MODULE="bibblix.settings",
        LOG_LEVEL="ERROR",
        DB_CONN_MAX_AGE="600",
        **extra,
    )
    sys.path.insert(0, str(ROOT))


def main() -> int:
    if REQUESTS > PATRONS // 2 * 5:
        print(f"bench_borrow: BENCH_BORROW_REQUESTS may be at most {PATRONS // 2 * 5}")
        return 2
    production_environment(DB_NAME)
    try:
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
        admin_sql(f"CREATE DATABASE {DB_NAME}")
    except Exception as error:  # noqa: BLE001
        print(f"bench_borrow: skipped, no PostgreSQL at {SERVER} ({error.__class__.__name__})")
        return 0
    server = None
    try:
        sessions = seed()
        from bibblix.catalogue.models import Book

        book_ids = list(Book.objects.values_list("pk", flat=True))
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "bibblix.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
                "--worker-class",
                "gthread",
                "--threads",
                str(THREADS),
                "--reuse-port",  # as production runs it (Dockerfile, docs/deployment.md)
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            start_new_session=True,
        )
        wait_for(port)
        result = drive(port, sessions, book_ids)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        service_result = drive_service(book_ids)
        connections.close_all()
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    cores, load = os.cpu_count(), os.getloadavg()[0]
    print(f"machine: {cores} cores, load average {load:.1f} (other work slows these figures)")
    cache = "Redis cache and sessions" if os.environ.get("REDIS_URL") else "no Redis"
    report(f"borrow over HTTP (gunicorn {WORKERS}x{THREADS} gthread, PostgreSQL, {cache})", result)
    report("borrow() called from threads (no HTTP, PostgreSQL)", service_result)
    counts = {k: result["counts"][k] + service_result["counts"][k] for k in result["counts"]}
    return 0 if counts["error"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
