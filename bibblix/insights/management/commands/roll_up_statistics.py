import datetime

from django.core.management.base import BaseCommand, CommandError

from bibblix.insights import rollup


class Command(BaseCommand):
    help = (
        "Count the anonymous usage log into the statistics: every metric from where it was "
        "filled up to yesterday, or with DAY that one day again. Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument("day", nargs="?", help="YYYY-MM-DD: count this day again")

    def handle(self, *args, day=None, **options):
        if day is None:
            states = rollup.fill()
            if not states:
                self.stdout.write("Nothing to count: the usage log is empty.")
            for metric, filled in sorted(states.items()):
                self.stdout.write(f"{metric}: filled through {filled}")
            return
        try:
            when = datetime.date.fromisoformat(day)
        except ValueError as exc:
            raise CommandError(f"Not a date: {day!r} (use YYYY-MM-DD)") from exc
        rollup.roll_up(when)
        self.stdout.write(f"{when}: counted again")
