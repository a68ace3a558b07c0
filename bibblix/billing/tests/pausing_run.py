"""Runs `manage.py run_billing ARGS` and stops for good in the middle of the approval, after
PAUSE_AFTER invoices are numbered (inside the approval's transaction), having written MARKER.
test_resume_after_kill.py kills it there with SIGKILL; nothing here runs in production."""

import os
import signal
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bibblix.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from bibblix.billing.models import Invoice  # noqa: E402

numbered = 0
original_save = Invoice.save


def save_then_maybe_stop(self, *args, **kwargs):
    global numbered
    original_save(self, *args, **kwargs)
    if self.number:
        numbered += 1
        if numbered == int(os.environ["PAUSE_AFTER"]):
            Path(os.environ["MARKER"]).write_text(self.number)
            signal.pause()


Invoice.save = save_then_maybe_stop
call_command("run_billing", *sys.argv[1:])
