"""One borrow, profiled in process: statements, Redis round trips and CPU time per request.

On a 2-core machine shared by PostgreSQL, Redis, the load generator and other work, wall-clock
loans/s move by ±15 % from run to run; the CPU a web process spends on one borrow and the round
trips it makes do not. This script creates the database PROFILE_BORROW_DB (default
`profile_borrow`) on the server of BENCH_POSTGRES_URL, seeds it as bench_borrow does (with Redis
for the cache and sessions when REDIS_URL answers, as in production), and calls Django's WSGI
handler (what gunicorn calls) with POST /api/v1/loans requests built as bench_borrow's clients
build them (session and CSRF cookies, JSON body), one thread, no HTTP:

- statements and Redis round trips of one borrow (a child's second loan, warm caches);
- CPU ms per borrow (thread time inside the handler) over PROFILE_BORROW_REQUESTS (default 1,000)
  borrows, the median of PROFILE_BORROW_ROUNDS (default 5) rounds;
- with PROFILE_BORROW_CPROFILE=1, the Python function calls per borrow (the same however busy
  the machine is) and the cProfile (timed by thread CPU time) of one more round,
  top 40 by cumulative and by own time (PROFILE_BORROW_STATS=<file> keeps them for pstats).

Then the database is dropped.
"""

import cProfile
import io
import json
import os
import pstats
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
DB_NAME = os.environ.get("PROFILE_BORROW_DB", "profile_borrow")
REQUESTS = int(os.environ.get("PROFILE_BORROW_REQUESTS", "1000"))
ROUNDS = int(os.environ.get("PROFILE_BORROW_ROUNDS", "5"))
os.environ["BENCH_BORROW_DB"] = DB_NAME
os.environ.setdefault("BENCH_BORROW_REQUESTS", "10")

import bench_borrow as borrow  # noqa: E402 - the benchmarks folder is put on the path above

TOKEN = "0123456789abcdef0123456789abcdef"  # noqa: S105 - a valid unmasked CSRF secret, as bench_borrow's


class Commands:
    """psycopg's own commands (BEGIN, COMMIT, ...): each is a round trip that no cursor logs."""

    def __init__(self):
        from psycopg._connection_base import BaseConnection

        self.commands: list[str] = []
        original = BaseConnection._exec_command
        counter = self

        def _exec_command(conn, command, *args, **kwargs):
            counter.commands.append(command if isinstance(command, str) else repr(command)[:60])
            return original(conn, command, *args, **kwargs)

        BaseConnection._exec_command = _exec_command


class RoundTrips:
    """Counts Redis round trips: every command, or pipeline of commands, is one packed send."""

    def __init__(self):
        import redis.connection

        self.count = 0
        self.commands: list[str] = []
        original = redis.connection.AbstractConnection.send_packed_command
        counter = self

        def send_packed_command(conn, command, check_health=True):
            counter.count += 1
            parts = command if isinstance(command, list) else [command]
            counter.commands.append(
                " | ".join(bytes(p)[:60].decode(errors="replace") for p in parts)
            )
            return original(conn, command, check_health)

        redis.connection.AbstractConnection.send_packed_command = send_packed_command

    def reset(self) -> None:
        self.count = 0
        self.commands = []


def environ(session: str, book: int) -> dict:
    body = json.dumps({"book": book}).encode()
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/loans",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"sessionid={session}; csrftoken={TOKEN}",
        "HTTP_X_CSRFTOKEN": TOKEN,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def main() -> int:
    borrow.production_environment(DB_NAME, ALLOWED_HOSTS="127.0.0.1")
    borrow.admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    borrow.admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        sessions = borrow.seed()
        run(sessions)
    finally:
        from django.db import connections

        connections.close_all()
        borrow.admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return 0


def run(sessions: list[str]) -> None:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bibblix.catalogue.models import Book

    handler = WSGIHandler()
    books = list(Book.objects.values_list("pk", flat=True))
    trips = RoundTrips()
    commands = Commands()
    children = iter(sessions)
    statuses: dict[str, int] = {}

    def start_response(status, headers, exc_info=None):
        statuses[status[:3]] = statuses.get(status[:3], 0) + 1

    def call(session: str, book: int) -> bytes:
        response = handler(environ(session, book), start_response)
        body = b"".join(response)
        response.close()
        return body

    def borrows(n: int) -> tuple[float, float, float]:
        """CPU seconds (user, system) in the handler for n borrows (five per child, then the
        next child), and the CPU seconds of the PostgreSQL backend serving them."""
        user = system = 0.0
        backend = backend_cpu()
        for i in range(n):
            if i % 5 == 0:
                session = next(children)
            started = resource.getrusage(resource.RUSAGE_THREAD)
            call(session, books[(i * 7919) % len(books)])
            ended = resource.getrusage(resource.RUSAGE_THREAD)
            user += ended.ru_utime - started.ru_utime
            system += ended.ru_stime - started.ru_stime
        return user, system, backend_cpu() - backend

    def backend_cpu() -> float:
        """CPU seconds so far of this thread's PostgreSQL backend (user and system)."""
        connection.ensure_connection()
        fields = Path(f"/proc/{connection.connection.info.backend_pid}/stat").read_text()
        fields = fields.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    borrows(50)  # warm up: imports, connections, the loan rules and connected municipalities
    # One child's second loan, warm caches, as test_borrow_queries measures it.
    session = next(children)
    call(session, books[1])
    trips.reset()
    commands.commands = []
    with CaptureQueriesContext(connection) as statements:
        answer = call(session, books[2])
    print(f"one borrow: {json.loads(answer)}")
    print(f"  {len(statements)} statements:")
    for query in statements.captured_queries:
        print(f"    {query['sql'][:150]}")
    print(f"  psycopg's own commands: {commands.commands}")
    print(f"  {trips.count} Redis round trips:")
    for command in trips.commands:
        print(f"    {command}")

    statuses.clear()
    rounds = [[cpu / REQUESTS * 1000 for cpu in borrows(REQUESTS)] for _ in range(ROUNDS)]
    load = os.getloadavg()[0]

    def median(index: int) -> str:
        return f"{statistics.median(r[index] for r in rounds):.2f}"

    totals = ", ".join(f"{r[0] + r[1]:.2f}" for r in rounds)
    print(
        f"CPU ms per borrow, median of {ROUNDS} rounds of {REQUESTS}: web process (in the WSGI "
        f"handler) user {median(0)} + system {median(1)} (totals {totals}); its PostgreSQL "
        f"backend {median(2)}; statuses {statuses}; load average {load:.1f}"
    )
    if os.environ.get("PROFILE_BORROW_CPROFILE") == "1":
        profile = cProfile.Profile(time.thread_time)  # CPU time, not waits
        profile.enable()
        borrows(REQUESTS)
        profile.disable()
        if os.environ.get("PROFILE_BORROW_STATS"):
            profile.dump_stats(os.environ["PROFILE_BORROW_STATS"])
        stats = pstats.Stats(profile)
        # Python function calls per borrow: unlike CPU time, the same on a busy machine.
        print(f"Python function calls per borrow: {stats.total_calls / REQUESTS:.0f}")
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    sys.exit(main())
