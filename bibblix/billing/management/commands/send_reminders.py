from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from bibblix.billing.reminders import send_reminders
from bibblix.lib.money import format_sek


class Command(BaseCommand):
    help = (
        "E-mail a payment reminder for each overdue invoice (level 1 at 10 days, level 2 at 30), "
        "at most once per invoice and level; --dry-run lists what would be sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="send nothing, list only")

    def handle(self, *args, dry_run: bool, **options):
        outcomes = send_reminders(dry_run=dry_run)
        words = {
            "sent": _("sent"),
            "would_send": _("would be sent"),
            "no_address": _("not sent: the buyer has no economy contact with an e-mail address"),
            "already_sent": _("already sent"),
        }
        for outcome in outcomes:
            invoice = outcome.overdue.invoice
            self.stdout.write(
                _(
                    "%(number)s %(buyer)s: reminder %(level)s, %(amount)s, %(days)s days late: %(outcome)s"
                )
                % {
                    "number": invoice.number,
                    "buyer": invoice.buyer.name,
                    "level": outcome.level,
                    "amount": format_sek(outcome.overdue.balance.outstanding_ore),
                    "days": outcome.overdue.days_overdue,
                    "outcome": words[outcome.outcome],
                }
            )
        sent = sum(1 for outcome in outcomes if outcome.outcome in ("sent", "would_send"))
        if dry_run:
            self.stdout.write(_("Dry run: %(count)s reminders would be sent.") % {"count": sent})
        else:
            self.stdout.write(_("%(count)s reminders sent.") % {"count": sent})
