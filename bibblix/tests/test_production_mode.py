"""`BIBBLIX_ENV=production` refuses to start unsafe: one clear line naming the variable, no
traceback, from manage.py, the WSGI module and gunicorn alike (each run in a subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "BIBBLIX_ENV": "production",
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-Qx9!vLm2#pR7&tZ4@wY8^nB3*hJ6%fD1",
    "CARD_HASH_KEY": "c" * 50,
    "ALLOWED_HOSTS": "bibblix.example",
    "DATABASE_URL": "postgres://bibblix@127.0.0.1:5432/bibblix",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    "FIELD_ENCRYPTION_KEYS": "h1SRuLn-1wXbT-vteq7I6vhwz0YM1bbfOiGJx65xWVI=",
}
UNSAFE = {
    "DEBUG": ({"DEBUG": "1"}, "DEBUG"),
    "SQLite": ({"DATABASE_URL": "sqlite:////tmp/bibblix.sqlite3"}, "DATABASE_URL"),
    "any host": ({"ALLOWED_HOSTS": "bibblix.example,*"}, "ALLOWED_HOSTS"),
    "short secret key": ({"SECRET_KEY": "x"}, "SECRET_KEY"),
    "short card hash key": ({"CARD_HASH_KEY": "y" * 49}, "CARD_HASH_KEY"),
    "no Redis": ({"REDIS_URL": None}, "REDIS_URL"),
    "no field keys": ({"FIELD_ENCRYPTION_KEYS": None}, "FIELD_ENCRYPTION_KEYS"),
}


def _run(command: list[str], **overrides) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in SAFE and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(SAFE, **overrides)
    environment = {k: v for k, v in environment.items() if v is not None}  # None: unset
    return subprocess.run(
        command, env=environment, capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def _assert_refused(result, variable: str) -> None:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert "Traceback" not in result.stderr
    refusals = [line for line in lines if line.startswith("Bibblix will not start: ")]
    assert len(refusals) == 1, result.stderr
    assert variable in refusals[0]


@pytest.mark.parametrize("overrides,variable", UNSAFE.values(), ids=UNSAFE.keys())
def test_manage_py_refuses_each_unsafe_setting_with_one_line(overrides, variable):
    result = _run([sys.executable, "manage.py", "check"], **overrides)
    _assert_refused(result, variable)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("overrides,variable", UNSAFE.values(), ids=UNSAFE.keys())
def test_wsgi_module_refuses_each_unsafe_setting_with_one_line(overrides, variable):
    result = _run([sys.executable, "-c", "import bibblix.wsgi"], **overrides)
    _assert_refused(result, variable)
    assert result.returncode == 3


def test_gunicorn_stops_instead_of_serving_with_debug_on():
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    result = _run([gunicorn, "bibblix.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"], DEBUG="1")
    _assert_refused(result, "DEBUG")
    assert "Worker failed to boot" in result.stderr


def test_safe_production_settings_start():
    result = _run([sys.executable, "manage.py", "check", "--deploy"])
    assert result.returncode == 0, result.stderr + result.stdout


def test_embedded_mode_keeps_its_easy_defaults(tmp_path):
    result = _run(
        [sys.executable, "manage.py", "check"],
        BIBBLIX_ENV="embedded",
        DEBUG="1",
        SECRET_KEY=None,
        CARD_HASH_KEY=None,
        ALLOWED_HOSTS=None,
        DATABASE_URL=None,
        REDIS_URL=None,
        BIBBLIX_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
