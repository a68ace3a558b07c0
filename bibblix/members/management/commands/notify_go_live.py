from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from bibblix.members.notifications import notify_go_live


class Command(BaseCommand):
    help = (
        "E-mail the coordinators about go-live dates within the next N days (run daily; a "
        "go-live is announced once, so reruns send nothing twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14, help="look-ahead in days (14)")

    def handle(self, *args, days: int, **options):
        sent = notify_go_live(days=days)
        self.stdout.write(_("%(count)s go-live notices sent") % {"count": len(sent)})
        for event in sent:
            self.stdout.write(f"  {event.organisation.name} {event.effective_date.isoformat()}")
