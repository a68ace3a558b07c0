"""The import_bgmax and send_reminders commands: summary lines, one clear line and exit 1."""

import datetime
import subprocess
import sys

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command

from bibblix.billing.models import Payment
from bibblix.members.models import Contact

from .bgmax_files import bgmax_file, payment
from .payment_builders import make_invoice, make_issuer


@pytest.fixture
def invoice(db, ale):
    return make_invoice(make_issuer(), ale, 10001, 1250000, due_date=datetime.date(2026, 11, 1))


def test_import_bgmax_prints_what_it_matched(invoice, tmp_path, capsys):
    path = tmp_path / "bgmax.txt"
    path.write_bytes(
        bgmax_file([[payment(invoice.ocr, 1000000), payment("", 500, reference_code=1, serial=2)]])
    )

    call_command("import_bgmax", str(path))
    call_command("import_bgmax", str(path))

    out = capsys.readouterr().out
    assert "delvis betalda: 1" in out and "omatchade: 1" in out
    assert "lästes in tidigare" in out
    assert Payment.objects.count() == 2


def test_import_bgmax_refuses_a_corrupt_file_with_the_line(invoice, tmp_path):
    path = tmp_path / "bgmax.txt"
    path.write_bytes(bgmax_file([[payment(invoice.ocr, 1000000)]]).replace(b"\r\n20", b"\r\n99"))

    with pytest.raises(CommandError, match="rad 3"):
        call_command("import_bgmax", str(path))
    assert Payment.objects.count() == 0


def test_import_bgmax_with_a_bad_path_exits_with_one_line():
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_bgmax", "/nowhere/bgmax.txt"],
        capture_output=True,
        text=True,
    )

    assert finished.returncode == 1
    assert finished.stderr.strip().splitlines() == [
        "CommandError: Filen finns inte: /nowhere/bgmax.txt"
    ]


@time_machine.travel(datetime.datetime(2026, 11, 15, 9, 0, tzinfo=datetime.UTC))
def test_send_reminders_dry_run_lists_and_sends_nothing(invoice, capsys):
    Contact.objects.create(
        organisation=invoice.buyer, role=Contact.Role.ECONOMY, name="Eva", email="eva@ale.se"
    )

    call_command("send_reminders", "--dry-run")
    dry = capsys.readouterr().out
    call_command("send_reminders")
    sent = capsys.readouterr().out

    assert "SB10001 Ale: påminnelse 1" in dry and "skulle skickas" in dry
    assert "Torrkörning: 1 påminnelser skulle skickas." in dry
    assert "1 påminnelser skickade." in sent
    assert len(mail.outbox) == 1
