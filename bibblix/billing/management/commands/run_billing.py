from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from django.utils.translation import gettext as _

from bibblix.billing import services
from bibblix.billing.fees import FeeScheduleMissing
from bibblix.lib.money import format_sek


class Command(BaseCommand):
    help = (
        "Compute the billing run for YEAR (or one quarter) for every issuer or one: a preview of "
        "draft invoices for what changed since the last approved run; --approve numbers them."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", help="e.g. 2026")
        parser.add_argument("--quarter", help="1–4 (default: the whole year)")
        parser.add_argument("--issuer", help="organisation id of the issuer (default: all)")
        parser.add_argument("--approve", action="store_true", help="approve the runs at once")

    def handle(self, *args, year, quarter, issuer, approve, **options):
        year = _number(year, _("year"), 2000, 2100)
        quarter = _number(quarter, _("quarter"), 1, 4) if quarter else 0
        issuers = services.issuers()
        if issuer:
            issuers = [i for i in issuers if str(i.organisation_id) == issuer]
            if not issuers:
                raise CommandError(_("No issuer with organisation id %(id)s.") % {"id": issuer})
        if not issuers:
            raise CommandError(_("No organisation has issuer details yet."))
        for one in issuers:
            try:
                run = services.compute_run(one, year, quarter)
                if run is not None and approve:
                    run = services.approve_run(run, None, _("Approved with run_billing --approve"))
            except FeeScheduleMissing as error:
                raise CommandError(str(error)) from error
            except services.ApprovalRefused as refused:
                raise CommandError(
                    _("%(issuer)s: not approved: %(why)s")
                    % {"issuer": one, "why": " ".join(refused.messages)}
                ) from refused
            self.stdout.write(_describe(one, year, quarter, run))


def _number(value: str, name: str, low: int, high: int) -> int:
    if not (value.isdigit() and low <= int(value) <= high):
        raise CommandError(
            _("The %(name)s must be a number from %(low)s to %(high)s, not %(value)r.")
            % {"name": name, "low": low, "high": high, "value": value}
        )
    return int(value)


def _describe(issuer, year: int, quarter: int, run) -> str:
    period = f"{year} Q{quarter}" if quarter else str(year)
    if run is None:
        return _("%(issuer)s %(period)s: nothing new to invoice.") % {
            "issuer": issuer,
            "period": period,
        }
    invoices = run.invoices.all()
    total = invoices.filter(kind="invoice").aggregate(s=Sum("total_ore"))["s"] or 0
    credited = invoices.filter(kind="credit_note").aggregate(s=Sum("total_ore"))["s"] or 0
    count = invoices.count()
    text = _(
        "%(issuer)s %(period)s: run %(id)s (%(state)s) with %(count)s documents, "
        "invoiced %(total)s, credited %(credited)s"
    ) % {
        "issuer": issuer,
        "period": period,
        "id": run.pk,
        "state": run.get_state_display().lower(),
        "count": count,
        "total": format_sek(total),
        "credited": format_sek(credited),
    }
    if run.state == run.State.APPROVED:
        ranges = []
        for kind in ("invoice", "credit_note"):
            numbers = list(
                invoices.filter(kind=kind).order_by("sequence").values_list("number", flat=True)
            )
            if numbers:
                ranges.append(numbers[0] if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}")
        text += "; " + _("numbers %(numbers)s") % {"numbers": ", ".join(ranges)}
    return text
