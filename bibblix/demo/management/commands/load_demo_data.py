from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bibblix.billing import demo as billing_demo
from bibblix.demo import catalogue as catalogue_demo
from bibblix.demo import follow_up as follow_up_demo
from bibblix.demo import lending as lending_demo
from bibblix.demo import members as members_demo
from bibblix.demo import motivation as motivation_demo
from bibblix.demo import patrons as patrons_demo
from bibblix.demo import staff as staff_demo
from bibblix.demo.staff import DEMO_PASSWORD
from bibblix.insights import demo as insights_demo


class Command(BaseCommand):
    help = "Load demo data (idempotent: running it again adds nothing twice)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--books", type=int, default=catalogue_demo.TARGET_TOTAL, help="books in all"
        )
        parser.add_argument("--force", action="store_true", help="allow in production mode")

    def handle(self, *args, books: int, force: bool, **options):
        if settings.IS_PRODUCTION and not force:
            raise CommandError("Refusing to load demo data in production mode (use --force).")
        out = self.stdout.write
        out("Loading demo data…")
        members_demo.load(out=out)
        catalogue_demo.load(out=out, target_total=books)
        patrons_demo.load(out=out)
        billing_demo.load(out=out)
        lending_demo.load(out=out)
        motivation_demo.load(out=out)
        insights_demo.load(out=out)
        follow_up_demo.load(out=out)
        staff = staff_demo.load(out=out)
        out("")
        out(self.style.SUCCESS("Demo logins"))
        out(f"Staff area /staff/ – password {DEMO_PASSWORD} for all of:")
        for line in staff:
            out(f"  {line}")
        for line in patrons_demo.describe():
            out(line)
