from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bibblix.billing import payments
from bibblix.billing.bgmax import BgMaxError
from bibblix.lib.money import format_sek


class Command(BaseCommand):
    help = (
        "Import a Bankgirot BgMax file of incoming payments and match them to invoices. The same "
        "file twice changes nothing; a corrupt file is refused whole (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError:
            raise CommandError(_("No such file: %(file)s") % {"file": file}) from None
        try:
            result = payments.import_bgmax(data, name=file.name)
        except BgMaxError as refused:
            raise CommandError(payments.describe_error(refused)) from None
        if result.already_imported:
            self.stdout.write(_("%(file)s was imported before: nothing changed.") % {"file": file})
            return
        State = payments.State
        for label, count in [
            (_("paid in full"), result.count(State.PAID)),
            (_("partly paid"), result.count(State.PARTLY_PAID)),
            (_("overpaid"), result.count(State.OVERPAID)),
            (_("unmatched"), result.count("unmatched")),
            (_("already imported from another file"), result.skipped),
        ]:
            self.stdout.write(f"{label}: {count}")
        for payment in result.unmatched:
            self.stdout.write(
                _("  unmatched: %(day)s %(amount)s %(payer)s “%(reference)s”")
                % {
                    "day": payment.paid_on.isoformat(),
                    "amount": format_sek(payment.amount_ore),
                    "payer": payment.payer_name,
                    "reference": payment.reference,
                }
            )
