import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bibblix.insights.services import roll_up


class Command(BaseCommand):
    help = "Recompute the anonymous usage roll-up of one day (default: yesterday). Safe to rerun."

    def add_arguments(self, parser):
        parser.add_argument("day", nargs="?", help="YYYY-MM-DD")

    def handle(self, *args, day=None, **options):
        try:
            when = (
                datetime.date.fromisoformat(day)
                if day
                else timezone.localdate() - datetime.timedelta(days=1)
            )
        except ValueError as exc:
            raise CommandError(f"Not a date: {day!r} (use YYYY-MM-DD)") from exc
        rows = roll_up(when)
        self.stdout.write(f"{when}: {rows} municipalities with loans")
