from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bibblix.members import register_io


class Command(BaseCommand):
    help = (
        "Load or update the member register from a CSV (or XLSX) file; matched on municipality "
        "code, else organisation number. Bad rows are reported and skipped; exit status 1 if any."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        report = register_io.import_file(file)
        for name in report.regions_created:
            self.stdout.write(_("New regional group: %(name)s") % {"name": name})
        self.stdout.write(
            _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged, %(bad)s bad rows")
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "bad": len(report.errors),
            }
        )
        for number, reason in report.errors:
            self.stderr.write(
                _("Row %(number)s: %(reason)s") % {"number": number, "reason": reason}
            )
        if not report.ok:
            raise CommandError(_("%(bad)s rows were not imported.") % {"bad": len(report.errors)})
