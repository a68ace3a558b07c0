"""Children's pages and OPDS feeds under load, as production serves them (`make bench-pages`).

Starts Bibblix with gunicorn (2 workers, BIBBLIX_ENV=production, DEBUG off, fingerprinted static
files, the Redis cache of REDIS_URL, which production requires) on loopback against the demo data
in PostgreSQL (BENCH_PAGES_DATABASE_URL; production refuses SQLite), and next to it a bare Django
endpoint with no middleware (benchmarks/ceiling_wsgi.py) as the ceiling. wrk hits each URL for
BENCH_SECONDS (10) at BENCH_CONNECTIONS (32); the table shows req/s, p50, p99, the ratio to
the ceiling and the resident memory of each web worker afterwards.

The demo data is loaded once into that database and kept (BENCH_FRESH=1 loads it again).
"""

import base64
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = Path(os.environ.get("BENCH_PAGES_DIR", ROOT / "var" / "bench_pages"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
WORKERS = 2
# BENCH_THREADS=8: gthread workers with 8 threads each, as production and bench_national run them
# (0, the default: gunicorn's sync workers, as the figures in docs/performance.md were first taken).
THREADS = int(os.environ.get("BENCH_THREADS", "0"))
OPTIONS: tuple[str, ...] = (
    ("--worker-class", "gthread", "--threads", str(THREADS)) if THREADS > 0 else ()
)
DATABASE_URL = os.environ.get(
    "BENCH_PAGES_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bibblix_bench"
)


def environment(work: Path = WORK, database_url: str = "") -> dict[str, str]:
    """The production environment of the benchmark server (and of its set-up commands), kept in
    `work` (keys, media, static files); the demo's PostgreSQL database unless `database_url` says
    otherwise (production refuses SQLite)."""
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bibblix.settings",
            "BIBBLIX_ENV": "production",
            "BIBBLIX_VAR_DIR": str(work),
            "DATABASE_URL": database_url or DATABASE_URL,
            "MEDIA_ROOT": str(work / "media"),
            "STATIC_ROOT": str(work / "static"),
            "SECRET_KEY": _kept_secret(work, "secret_key"),
            "CARD_HASH_KEY": _kept_secret(work, "card_hash_key"),
            "FIELD_ENCRYPTION_KEYS": _kept_secret(work, "field_encryption_key", fernet=True),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Loopback has no TLS proxy in front: requests carry X-Forwarded-Proto instead.
            "SECURE_SSL_REDIRECT": "0",
            "DEBUG": "0",
            "DEMO_USAGE_DAYS": os.environ.get("DEMO_USAGE_DAYS", "30"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _kept_secret(work: Path, name: str, fernet: bool = False) -> str:
    path = work / name
    if not path.exists():
        path.write_text(
            base64.urlsafe_b64encode(os.urandom(32)).decode() if fernet else os.urandom(32).hex()
        )
    return path.read_text().strip()


def manage(env: dict[str, str], *args: str, capture: bool = False) -> str:
    result = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout or ""


LOADED = """
from bibblix.catalogue.models import Book
print("LOADED", Book.objects.exists())
"""
PROBE = """
from django.conf import settings
from importlib import import_module
from bibblix.catalogue.models import Book, Theme
from bibblix.patrons.models import Patron
from bibblix.patrons.services import SESSION_KEY
child = Patron.objects.filter(library__isnull=False).order_by("pk").first()
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(child.public_id)
store.create()
theme = Theme.objects.exclude(slug="testbocker").filter(books__isnull=False).order_by("pk").first()
book = Book.objects.filter(is_withdrawn=False).order_by("pk").first()
print("BENCH", store.session_key, theme.slug, book.pk)
"""


def prepare(env: dict[str, str]) -> tuple[str, str, int]:
    """Demo data (once), static files, a logged-in child's session; (session key, theme, book)."""
    manage(env, "migrate", "--no-input", "-v", "0")
    loaded = "LOADED True" in manage(env, "shell", "-c", LOADED, capture=True)
    if os.environ.get("BENCH_FRESH") == "1" or not loaded:
        print("Loading the demo data once into", env["DATABASE_URL"], flush=True)
        manage(env, "flush", "--no-input", "-v", "0")
        # In the embedded mode: production refuses the demo's Bankgirot test files.
        manage({**env, "BIBBLIX_ENV": "embedded"}, "load_demo_data")
    collect_static(env)
    return probe(env)


def collect_static(env: dict[str, str]) -> None:
    """Static files once into STATIC_ROOT; slow (every file compressed), so BENCH_FRESH=1 after
    changing static files."""
    if (
        os.environ.get("BENCH_FRESH") == "1"
        or not (Path(env["STATIC_ROOT"]) / "staticfiles.json").exists()
    ):
        manage(env, "collectstatic", "--no-input", "-v", "0")


def probe(env: dict[str, str]) -> tuple[str, str, int]:
    """A logged-in child's new session key, a theme with books and a book, for the pages."""
    output = manage(env, "shell", "-c", PROBE, capture=True)
    _marker, session, theme, book = output[output.index("BENCH ") :].split()
    return session, theme, int(book)


def pages(session: str, theme: str, book: int) -> list[tuple[str, str, str]]:
    """The page and feed table: (name, path, cookie)."""
    return [
        ("/healthz", "/healthz", ""),
        ("home", "/", ""),
        ("/books/", "/books/", ""),
        ("theme", f"/themes/{theme}/", ""),
        ("search", "/search/?q=katt", ""),
        ("book page", f"/books/{book}/", ""),
        ("/my/ (child)", "/my/", f"sessionid={session}"),
        ("OPDS 2.0 root", "/opds/v2/", ""),
        ("OPDS feed", "/opds/v2/books", ""),
        ("OPDS search", "/opds/v2/search?query=drak", ""),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    app: str, env: dict[str, str], probe: str, options: tuple[str, ...] = ()
) -> tuple[subprocess.Popen, int]:
    """gunicorn serving `app` with WORKERS workers (and `options`), once `probe` answers."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [GUNICORN, app, "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        # As production runs it (Dockerfile): each worker its own listening socket, so that the
        # kernel spreads wrk's kept-alive connections over the workers (docs/deployment.md).
        + ["--reuse-port"]
        + list(options),
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{probe}")
            request.add_header("X-Forwarded-Proto", "https")
            urllib.request.urlopen(request, timeout=2).read()  # noqa: S310 (http on loopback)
            return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"{app} did not answer on port {port}")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def worker_memory_mb(master: subprocess.Popen, field: str = "VmRSS") -> list[float]:
    """Resident memory (MB) of each gunicorn worker of `master` (VmHWM: the peak so far)."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", text, re.M):
            rss = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
            if rss:
                sizes.append(int(rss.group(1)) / 1024)
    return sorted(sizes)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def run_wrk(url: str, cookie: str = "") -> dict:
    """wrk for SECONDS at CONNECTIONS; req/s, p50 and p99 in ms, and the non-2xx/3xx count."""
    command = [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "--timeout", "10s"]
    command += ["-H", "X-Forwarded-Proto: https", "-H", "Accept-Encoding: gzip"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(  # noqa: S603 (wrk against our own loopback server)
        command + [url], check=True, text=True, capture_output=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))

    def percentile(key: str) -> float:
        match = re.match(r"([\d.]+)(\w+)", latency[key])
        return _ms(match.group(1), match.group(2))

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {
        "rate": rate,
        "p50": percentile("50"),
        "p99": percentile("99"),
        "bad": int(bad.group(1)) if bad else 0,
        "errors": errors.group(0) if errors else "",
    }


def measure_ceiling(env: dict[str, str], options: tuple[str, ...] = ()) -> tuple[dict, list[float]]:
    """wrk against the bare Django endpoint under gunicorn: its figures and worker memory."""
    ceiling_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
    ceiling, ceiling_port = start("benchmarks.ceiling_wsgi:application", ceiling_env, "/", options)
    try:
        return run_wrk(f"http://127.0.0.1:{ceiling_port}/"), worker_memory_mb(ceiling)
    finally:
        stop(ceiling)


def measure_pages(port: int, table: list[tuple[str, str, str]]) -> list[tuple[str, str, dict]]:
    """wrk against each page of `table` on the server at `port`."""
    results = []
    for name, path, cookie in table:
        print(f"measuring {name} ({path})", file=sys.stderr, flush=True)
        results.append((name, path, run_wrk(f"http://127.0.0.1:{port}{path}", cookie)))
    return results


def print_table(top: dict, results: list[tuple[str, str, dict]]) -> None:
    print(f"| {'page':<22} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | {'ceiling':>7} | note")
    print(f"|{'-' * 24}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 9}|------")
    print(
        f"| {'ceiling (bare Django)':<22} | {top['rate']:>8.0f} | {top['p50']:>7.1f} | "
        f"{top['p99']:>7.1f} | {'1.00':>7} |"
    )
    for name, _path, figures in results:
        note = f"{figures['bad']} non-2xx/3xx" if figures["bad"] else ""
        note += f" {figures['errors']}" if figures["errors"] else ""
        print(
            f"| {name:<22} | {figures['rate']:>8.0f} | {figures['p50']:>7.1f} | "
            f"{figures['p99']:>7.1f} | {figures['rate'] / top['rate']:>7.2f} | {note}"
        )


def ensure_database(url: str) -> None:
    """The benchmark's PostgreSQL database, created when missing."""
    import psycopg

    server, name = url.rsplit("/", 1)
    admin = server.replace("postgres://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    # Production needs Redis: the local server's database 9 unless REDIS_URL names another.
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/9")
    ensure_database(DATABASE_URL)
    env = environment()
    table = pages(*prepare(env))
    top, ceiling_memory = measure_ceiling(env, OPTIONS)
    server, port = start("bibblix.wsgi:application", env, "/healthz", OPTIONS)
    try:
        results = measure_pages(port, table)
        memory = worker_memory_mb(server)
    finally:
        stop(server)
    cache = "Redis, PostgreSQL"
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M %Z')} on {socket.gethostname()}, {os.cpu_count()} CPUs"
    )
    kind = f"gthread x {THREADS} threads" if THREADS > 0 else "sync"
    print(
        f"gunicorn {WORKERS} {kind} workers, wrk -t2 -c{CONNECTIONS} {SECONDS}s, cache: {cache}\n"
    )
    print_table(top, results)
    print(
        f"\nresident memory per worker (MB): Bibblix {', '.join(f'{m:.0f}' for m in memory)}; "
        f"ceiling {', '.join(f'{m:.0f}' for m in ceiling_memory)}"
    )
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if any(figures["bad"] for _n, _p, figures in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
