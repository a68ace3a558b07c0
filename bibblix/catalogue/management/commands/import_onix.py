from django.core.management.base import BaseCommand, CommandError

from bibblix.catalogue.onix import OnixError
from bibblix.catalogue.onix_import import import_onix


class Command(BaseCommand):
    help = (
        "Apply an ONIX for Books 3.0 file to the catalogue (matched by ISBN). Errors are "
        "reported per record; good records still import; exit status 1 when any record failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="an ONIX 3.0 XML file (reference or short tags)")

    def handle(self, *args, file: str, **options):
        try:
            report = import_onix(file)
        except (OnixError, OSError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        for reference, isbn in report.unmatched:
            self.stdout.write(
                f"NO BOOK {reference}: no book with ISBN {isbn} (import the EPUB first)"
            )
        for reference, message in report.errors:
            self.stdout.write(self.style.ERROR(f"ERROR {reference}: {message}"))
        self.stdout.write(
            f"{len(report.updated)} updated, {len(report.unmatched)} without a book, "
            f"{len(report.errors)} with errors."
        )
        if report.errors:
            raise CommandError(f"{len(report.errors)} record(s) had errors.")
