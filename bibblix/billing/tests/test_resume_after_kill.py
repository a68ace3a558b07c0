"""A run killed with SIGKILL half-way through its approval, then run again, leaves the same
invoices, numbers and OCR references as a run that was never interrupted."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from bibblix.billing.models import BillingRun, Invoice, NumberSeries
from bibblix.billing.tests import builders as b

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPT = Path(__file__).with_name("pausing_run.py")


class _Undo(Exception):
    pass


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def _invoices() -> list[tuple]:
    return sorted(
        Invoice.objects.values_list(
            "number", "ocr", "buyer__name", "kind", "vat_category", "total_ore", "status"
        )
    )


def test_run_killed_half_way_and_run_again_leaves_the_same_invoices(tmp_path):
    b.schedule(2025)
    sambruk, _gits, _vgr = b.arrangement()
    for name, code, population in [
        ("Ale", "1440", 20_000),
        ("Borås", "1490", 10_000),
        ("Lerum", "1441", 5_000),
        ("Tjörn", "1419", 32_500),
    ]:
        b.municipality(name, code, population)
    args = ["2025", "--issuer", str(sambruk.organisation_id), "--approve"]

    try:  # what an uninterrupted run gives, then undone
        with transaction.atomic():
            call_command("run_billing", *args, stdout=StringIO())
            uninterrupted = _invoices()
            raise _Undo
    except _Undo:
        pass
    assert len(uninterrupted) == 9 and not Invoice.objects.exists()

    marker = tmp_path / "paused"
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PAUSE_AFTER": "4",
        "MARKER": str(marker),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    process = subprocess.Popen(
        [sys.executable, str(SCRIPT), *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():  # wait for the approval to stop half-way
        assert process.poll() is None, process.stderr.read().decode()
        assert time.monotonic() < deadline, "the run never reached the middle of its approval"
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    assert marker.read_text() == "SB10004"  # it had numbered four invoices when it died

    # The preview survived (its own transaction); no number of the approval did.
    assert BillingRun.objects.get().state == "preview"
    assert not Invoice.objects.exclude(number="").exists()
    assert NumberSeries.objects.get(issuer=sambruk, kind="invoice").last_number is None

    call_command("run_billing", *args, stdout=StringIO())
    assert _invoices() == uninterrupted
    assert BillingRun.objects.count() == 1
