import os
import socket
from datetime import timedelta

from django.core.management.base import BaseCommand

from bibblix.jobs.worker import Worker


class Command(BaseCommand):
    help = (
        "Run queued tasks (imports, billing reminders, roll-ups, retention) with leases, retries "
        "and recovery of tasks whose worker died. --with-scheduler also enqueues the scheduled "
        "jobs (the embedded mode, with no separate `scheduler` process)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
        parser.add_argument("--lease", type=float, default=60.0, help="lease in seconds (60)")
        parser.add_argument("--batch", action="store_true", help="exit when the queue is empty")
        parser.add_argument("--max-tasks", type=int, default=None)
        parser.add_argument("--with-scheduler", action="store_true")
        parser.add_argument("--worker-id", default=f"{socket.gethostname()}:{os.getpid()}")

    def handle(self, *args, **options):
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=False,
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=[],
            lease=timedelta(seconds=options["lease"]),
            with_scheduler=options["with_scheduler"],
        )
        worker.configure_signals()
        worker.run()
