"""Staff screens for payments that the plain admin does not give: BgMax upload, matching a
payment by hand, and the overdue list with "send reminders". Mounted by PaymentAdmin.get_urls
under /staff/billing/payment/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from bibblix.lib.money import format_sek
from bibblix.members.services import is_limited_staff, scope_for_staff

from . import payments, reminders
from .bgmax import BgMaxError
from .models import Invoice, Payment
from .payment_forms import BgMaxUploadForm, MatchPaymentForm


def is_limited(user) -> bool:
    return is_limited_staff(user)


def can_handle(user, codename: str) -> bool:
    """Importing, matching and reminding are the association's economy work, never a
    municipality's (whatever its role's permissions)."""
    return not is_limited_staff(user) and user.has_perm(f"billing.{codename}")


def _context(model_admin, request, title: str, **values) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Payment._meta,
        "title": title,
        **values,
    }


def import_file(model_admin, request):
    if not can_handle(request.user, "add_payment"):
        raise PermissionDenied
    form = BgMaxUploadForm(request.POST or None, request.FILES or None)
    result = error = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = payments.import_bgmax(upload.read(), request.user, name=upload.name)
        except BgMaxError as refused:
            error = payments.describe_error(refused)
            status = 400
    elif request.method == "POST":
        status = 400
    context = _context(
        model_admin,
        request,
        _("Import a BgMax file"),
        form=form,
        result=result,
        error=error,
        summary=_summary(result) if result and not result.already_imported else [],
    )
    return TemplateResponse(request, "billing/admin/bgmax_import.html", context, status=status)


def _summary(result: payments.ImportResult) -> list[tuple[str, int]]:
    State = payments.State
    return [
        (_("paid in full"), result.count(State.PAID)),
        (_("partly paid"), result.count(State.PARTLY_PAID)),
        (_("overpaid"), result.count(State.OVERPAID)),
        (_("unmatched"), result.count("unmatched")),
        (_("already imported from another file"), result.skipped),
    ]


def match(model_admin, request, object_id):
    if not can_handle(request.user, "change_payment"):
        raise PermissionDenied
    payment = Payment.objects.select_related("invoice").filter(pk=object_id).first()
    if payment is None:
        raise Http404
    entry = getattr(payment, "bgmax_entry", None)
    form = MatchPaymentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                invoice = payments.matchable_invoice(form.cleaned_data["invoice_number"])
                payments.match_payment(payment, invoice, request.user, form.cleaned_data["reason"])
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                messages.success(
                    request,
                    _("The payment was matched to invoice %(number)s.") % {"number": invoice},
                )
                return redirect(reverse("admin:billing_payment_changelist") + "?matched=no")
    context = _context(
        model_admin,
        request,
        _("Match a payment to an invoice"),
        payment=payment,
        amount=format_sek(payment.amount_ore),
        texts=entry.texts if entry else [payment.reference],
        form=form,
    )
    return TemplateResponse(request, "billing/admin/match_payment.html", context, status=status)


def overdue(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    visible = scope_for_staff(request.user, Invoice.objects.all(), "buyer")
    can_send = can_handle(request.user, "add_reminder")
    if request.method == "POST":
        if not can_send:
            raise PermissionDenied
        outcomes = reminders.send_reminders(user=request.user, invoices=visible)
        sent = sum(1 for outcome in outcomes if outcome.outcome == "sent")
        missing = sum(1 for outcome in outcomes if outcome.outcome == "no_address")
        messages.success(request, _("%(count)s reminders sent.") % {"count": sent})
        if missing:
            messages.warning(
                request,
                _("%(count)s reminders could not be sent: no economy contact with an e-mail.")
                % {"count": missing},
            )
        return redirect("admin:billing_payment_overdue")
    rows = reminders.overdue_invoices(invoices=visible)
    context = _context(
        model_admin,
        request,
        _("Overdue invoices"),
        rows=[
            {
                "overdue": row,
                "outstanding": format_sek(row.balance.outstanding_ore),
            }
            for row in rows
        ],
        due_count=sum(1 for row in rows if row.due_level),
        can_send=can_send,
    )
    return TemplateResponse(request, "billing/admin/overdue.html", context)
