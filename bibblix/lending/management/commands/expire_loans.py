from django.core.management.base import BaseCommand

from bibblix.lending import services


class Command(BaseCommand):
    help = "Close loans whose period has ended and lend freed copies to the queues (idempotent)."

    def handle(self, *args, **options):
        closed, made = services.expire_loans()
        self.stdout.write(f"loans closed: {closed}, loans made from holds: {made}")
