from django.core.management.base import BaseCommand

from bibblix.lending.tasks import apply_retention_task


class Command(BaseCommand):
    help = "Delete children's accounts and loan history older than the retention rule (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for the task worker instead"
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            apply_retention_task.enqueue()
            self.stdout.write("apply_retention queued")
            return
        accounts, loans = apply_retention_task.call()
        self.stdout.write(f"accounts deleted: {accounts}, old loans deleted: {loans}")
