"""Run a benchmark script once per database: SQLite in a temporary file, then PostgreSQL in a
throw-away database on BENCH_POSTGRES_URL's server (skipped when none answers). Each run is the
same script in a fresh process with BENCH_CHILD=1, because Django reads its settings once."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_url() -> str | None:
    """The benchmark's PostgreSQL server, or None when it does not answer."""
    url = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
    try:
        import psycopg

        psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3).close()
    except Exception:
        return None
    return url


def _run(script: str, database_url: str, label: str) -> int:
    print(f"--- {label}", flush=True)
    with tempfile.TemporaryDirectory() as var_dir:  # never var/ of the checkout
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "BENCH_CHILD": "1",
            "BIBBLIX_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
        }
        return subprocess.call([sys.executable, script], env=env, cwd=ROOT)  # noqa: S603


def run_per_database(script: str, name: str) -> int:
    """Run `script` on SQLite, then on a fresh PostgreSQL database `name`; the exit status."""
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        status |= _run(script, f"sqlite:///{tmp}/{name}.sqlite3", "SQLite")
    server = postgres_url()
    if server is None:
        print("--- PostgreSQL: not reachable, skipped")
        return status
    import psycopg

    admin_url = server.replace("postgres://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        status |= _run(script, server.rsplit("/", 1)[0] + f"/{name}", "PostgreSQL")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return status
