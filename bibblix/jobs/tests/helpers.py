import os
import subprocess
import sys

from django.conf import settings
from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def manage(*args: str, **env: str) -> subprocess.Popen:
    """Start `manage.py <args>` on the test database in a process of its own."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(settings.BASE_DIR),
        **env,
    }
    environment.pop("TEST_DATABASE_NAME", None)
    return subprocess.Popen(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
