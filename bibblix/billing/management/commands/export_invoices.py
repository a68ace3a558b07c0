from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bibblix.billing.exports import FORMATS, export_invoices


class Command(BaseCommand):
    help = (
        "Write the issued invoices and credit notes of YEAR to OUTDIR: Peppol BIS 3.0 XML or PDF "
        "(one file each), SIE 4i (one file per issuer) or the ledger as CSV or XLSX."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="e.g. 2026")
        parser.add_argument("outdir", help="folder to write to (made if missing)")
        parser.add_argument("--format", dest="fmt", help=" | ".join(FORMATS))

    def handle(self, *args, year: str, outdir: str, fmt: str | None, **options):
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise CommandError(_("The year must be a number from 2000 to 2100, not %r.") % year)
        if fmt not in FORMATS:
            raise CommandError(
                _("Choose a format with --format: %(formats)s.") % {"formats": ", ".join(FORMATS)}
            )
        folder = Path(outdir)
        if folder.exists() and not folder.is_dir():
            raise CommandError(_("%(path)s is a file, not a folder.") % {"path": folder})
        try:
            result = export_invoices(int(year), fmt, folder)
        except OSError as error:
            raise CommandError(
                _("Cannot write to %(path)s: %(why)s") % {"path": folder, "why": error.strerror}
            ) from error
        for line in result.refused:
            self.stderr.write(line)
        count = len(result.files)
        self.stdout.write(
            ngettext(
                "Wrote %(count)s file to %(path)s.", "Wrote %(count)s files to %(path)s.", count
            )
            % {"count": count, "path": folder}
        )
        if result.refused:
            count = len(result.refused)
            raise CommandError(
                ngettext(
                    "%(count)s document could not be written (see above).",
                    "%(count)s documents could not be written (see above).",
                    count,
                )
                % {"count": count}
            )
