import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from bibblix.jobs.scheduling import tick


class Command(BaseCommand):
    help = (
        "Enqueue the scheduled jobs of bibblix/jobs/schedule.py when due. Run one in production "
        "(a second one is harmless: each job's slot is claimed once in the database)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="check once and exit")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between checks")

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            close_old_connections()
            for name in tick():
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
