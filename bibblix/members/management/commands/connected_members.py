import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bibblix.members import services
from bibblix.members.models import ConnectionEvent


class Command(BaseCommand):
    help = "List the municipalities connected on DATE (past or future) with their membership route."

    def add_arguments(self, parser):
        parser.add_argument("date", nargs="?", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, date: str | None, **options):
        day = _parse(date) if date else services.today()
        members = list(services.connected_on(day).order_by("name"))
        self.stdout.write(
            _("Connected on %(day)s: %(count)s municipalities")
            % {"day": day.isoformat(), "count": len(members)}
        )
        for member in members:
            route = services.describe_route(services.membership_on(member, day))
            line = f"{member.municipality_code}\t{member.name}\t{route}"
            if member.connection_state == ConnectionEvent.State.NOTICE_GIVEN:
                line += f"\t({ConnectionEvent.State.NOTICE_GIVEN.label.lower()})"
            self.stdout.write(line)


def _parse(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Not a date: %(value)s (write YYYY-MM-DD).") % {"value": value}
        ) from error
