from django.core.management.base import BaseCommand

from bibblix.motivation.tasks import compute_co_reading_task


class Command(BaseCommand):
    help = "Recount the books children finished together (for recommendations; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for the task worker instead"
        )

    def handle(self, *args, enqueue: bool, **options):
        if enqueue:
            compute_co_reading_task.enqueue()
            self.stdout.write("compute_co_reading queued")
            return
        pairs = compute_co_reading_task.call()
        self.stdout.write(f"pairs of books read together: {pairs}")
