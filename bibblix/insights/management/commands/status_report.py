from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from bibblix.insights import report as reports
from bibblix.insights.models import StatusReport
from bibblix.insights.quarters import parse_quarter
from bibblix.insights.report_documents import report_docx, report_pdf

WRITERS = {"docx": report_docx, "pdf": report_pdf}


class Command(BaseCommand):
    help = (
        "Write the status report of QUARTER (e.g. 2026Q4) as DOCX or PDF: the latest approved "
        "version, or a draft marked as such when none is approved."
    )

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="e.g. 2026Q4")
        parser.add_argument("outfile", help="the file to write")
        parser.add_argument("--format", dest="file_format", default="pdf", help="docx or pdf")
        parser.add_argument(
            "--report-version",
            dest="report_version",
            type=int,
            help="a version number (default: the latest approved)",
        )

    def handle(self, *args, quarter, outfile, file_format, report_version=None, **options):
        translation.activate("sv")
        found = parse_quarter(quarter)
        if found is None:
            raise CommandError(
                _("Not a quarter: %(quarter)s (write e.g. 2026Q4)") % {"quarter": quarter}
            )
        if file_format not in WRITERS:
            raise CommandError(
                _("Unknown format: %(format)s (use docx or pdf)") % {"format": file_format}
            )
        report = self._report(found, report_version)
        if report is None:
            content, state = reports.build_content(found), _("draft, not started")
        else:
            content, state = reports.content_of(report), report.get_state_display().lower()
        is_draft = report is None or not report.is_approved
        try:
            Path(outfile).write_bytes(WRITERS[file_format](content, draft=is_draft))
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": outfile, "error": error.strerror}
            ) from error
        version = f" v{report.version}" if report else ""
        self.stdout.write(f"{found}{version} ({state}) → {outfile}")

    def _report(self, quarter, number):
        versions = reports.versions_of(quarter)
        if number is not None:
            report = versions.filter(version=number).first()
            if report is None:
                raise CommandError(
                    _("%(quarter)s has no version %(version)s")
                    % {"quarter": quarter, "version": number}
                )
            return report
        return versions.filter(state=StatusReport.State.APPROVED).first() or versions.first()
