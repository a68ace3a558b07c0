import os
import subprocess
import sys


def _load_settings(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"}
    }
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import bibblix.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])",
        ],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_mode_refuses_to_start_without_secret_key():
    result = _load_settings(
        BIBBLIX_ENV="production", ALLOWED_HOSTS="bibblix.example", DATABASE_URL="sqlite:///x"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_mode_requires_database_url():
    result = _load_settings(
        BIBBLIX_ENV="production", SECRET_KEY="x" * 50, CARD_HASH_KEY="y" * 50, ALLOWED_HOSTS="a"
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_production_mode_requires_field_encryption_keys():
    result = _load_settings(
        BIBBLIX_ENV="production",
        SECRET_KEY="x" * 50,
        CARD_HASH_KEY="y" * 50,
        ALLOWED_HOSTS="a",
        DATABASE_URL="sqlite:///x",
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_embedded_defaults_are_sqlite_with_debug_off(tmp_path):
    result = _load_settings(BIBBLIX_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3"]
    assert (tmp_path / "secret_key").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_postgres_by_database_url(tmp_path):
    result = _load_settings(
        BIBBLIX_VAR_DIR=str(tmp_path), DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[1] == "django.db.backends.postgresql"


def test_production_settings_pass_djangos_deployment_checks(tmp_path):
    # (The browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.)
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(
        BIBBLIX_ENV="production",
        SECRET_KEY="k" * 20 + "-Qx9!vLm2#pR7&tZ4@wY8^nB3*hJ6%fD1",
        CARD_HASH_KEY="c" * 50,
        FIELD_ENCRYPTION_KEYS="h1SRuLn-1wXbT-vteq7I6vhwz0YM1bbfOiGJx65xWVI=",
        ALLOWED_HOSTS="bibblix.example",
        DATABASE_URL="postgres://bibblix@127.0.0.1:5432/bibblix",
        REDIS_URL="redis://127.0.0.1:6379/9",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_with_redis_sessions_are_read_from_the_cache_and_kept_in_the_database(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(BIBBLIX_VAR_DIR=str(tmp_path), REDIS_URL="redis://127.0.0.1:6379/0")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bibblix.settings as s; print(s.SESSION_ENGINE, s.CACHES['default']['BACKEND'])",
        ],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == [
        "bibblix.lib.sessions.cached_db",
        "bibblix.lib.redis_cache.KeptClientRedisCache",
    ]


def test_sqlite_connections_are_kept_between_requests(tmp_path):
    # Opening a SQLite connection and running its PRAGMAs was most of the time of /healthz.
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    environment.update(BIBBLIX_VAR_DIR=str(tmp_path), DB_CONN_MAX_AGE="")
    result = subprocess.run(
        [sys.executable, "-c", "import bibblix.settings as s; print(s.DATABASES['default'])"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "'ENGINE': 'django.db.backends.sqlite3'" in result.stdout
    assert "'CONN_MAX_AGE': 60" in result.stdout
