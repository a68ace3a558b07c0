"""Staff screens for billing runs and invoices that the plain admin does not give: computing a
run, its preview with what changed since the last run and the approve form, the balance per
member, and PDF and Peppol XML downloads. Mounted by BillingRunAdmin and InvoiceAdmin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bibblix.lib.money import format_sek
from bibblix.members.models import Organisation
from bibblix.members.services import is_limited_staff, scope_for_staff

from . import services
from .fees import FeeScheduleMissing
from .models import BillingRun, Invoice, Issuer


def can_run(user) -> bool:
    """Computing runs is the association's economy work, never a municipality's."""
    return not is_limited_staff(user) and user.has_perm("billing.add_billingrun")


def can_approve(user) -> bool:
    return not is_limited_staff(user) and user.has_perm("billing.approve_billingrun")


def _context(model_admin, request, title: str, **values) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        **values,
    }


class ComputeRunForm(forms.Form):
    issuer = forms.ModelChoiceField(
        label=gettext_lazy("issuer"), queryset=Issuer.objects.select_related("organisation")
    )
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=gettext_lazy("period"),
        coerce=int,
        choices=[
            (0, gettext_lazy("The whole year")),
            *((q, gettext_lazy("Quarter %(n)s") % {"n": q}) for q in range(1, 5)),
        ],
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment (why, what was checked)"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "billing-comment"}),
        max_length=2000,
    )


def compute(model_admin, request):
    """The form that computes (or recomputes) a run and opens its preview."""
    if not can_run(request.user):
        raise PermissionDenied
    form = ComputeRunForm(
        request.POST or None, initial={"year": timezone.localdate().year, "quarter": 0}
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.compute_run(
                data["issuer"], data["year"], data["quarter"], user=request.user
            )
        except FeeScheduleMissing as missing:
            form.add_error("year", str(missing))
            status = 400
        else:
            if run is None:
                messages.info(request, _("Nothing new to invoice: everything is already invoiced."))
                return redirect("admin:billing_billingrun_changelist")
            return redirect("admin:billing_billingrun_change", run.pk)
    elif request.method == "POST":
        status = 400
    context = _context(model_admin, request, _("Compute a billing run"), form=form)
    return TemplateResponse(request, "billing/admin/run_compute.html", context, status=status)


def preview(model_admin, request, object_id):
    """A run's drafts (or issued documents) with each line's provenance, the changes since the
    last run, and the approve form."""
    run = model_admin.get_queryset(request).filter(pk=object_id).first()
    if run is None:
        raise Http404
    form = ApproveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_approve(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.approve_run(run, request.user, form.cleaned_data["comment"])
            except services.ApprovalRefused as refused:
                for line in refused.messages:
                    messages.error(request, line)
                status = 400
            else:
                messages.success(request, _("The run is approved and its invoices numbered."))
                return redirect("admin:billing_billingrun_change", run.pk)
        else:
            status = 400
    invoices = list(
        run.invoices.select_related("buyer", "credits")
        .prefetch_related("lines")
        .order_by("buyer__name", "kind", "vat_category")
    )
    names = dict(
        Organisation.objects.filter(pk__in={c["buyer_id"] for c in run.changes}).values_list(
            "pk", "name"
        )
    )
    changes = [
        {
            **change,
            "buyer": names.get(change["buyer_id"], "?"),
            "before": format_sek(change["before_ore"]),
            "now": format_sek(change["now_ore"]),
            "difference": format_sek(change["difference_ore"]),
        }
        for change in run.changes
    ]
    context = _context(
        model_admin,
        request,
        _("Billing run: %(run)s") % {"run": run},
        run=run,
        invoices=[_invoice_view(invoice) for invoice in invoices],
        changes=changes,
        form=form,
        can_approve=can_approve(request.user) and run.state == BillingRun.State.PREVIEW,
        original=run,
    )
    return TemplateResponse(request, "billing/admin/run_preview.html", context, status=status)


def _invoice_view(invoice: Invoice) -> dict:
    return {
        "invoice": invoice,
        "net": format_sek(invoice.net_ore),
        "vat": format_sek(invoice.vat_ore),
        "total": format_sek(invoice.total_ore),
        "lines": [{"line": line, "net": format_sek(line.net_ore)} for line in invoice.lines.all()],
    }


def balances(model_admin, request):
    """Balance per member: invoiced, credited, paid and left to pay, from the ledger."""
    rows = services.ledger()
    allowed = set(
        scope_for_staff(request.user, Invoice.objects.all(), "buyer").values_list(
            "buyer_id", flat=True
        )
    )
    totals: dict[int, dict] = {}
    for row in rows:
        if row.buyer_id not in allowed:
            continue
        entry = totals.setdefault(
            row.buyer_id,
            {"buyer": row.buyer, "buyer_id": row.buyer_id, "invoiced": 0, "credited": 0,
             "paid": 0, "overdue": 0},
        )  # fmt: skip
        if row.kind == "credit_note":
            entry["credited"] += row.total_ore
        else:
            entry["invoiced"] += row.total_ore
            entry["paid"] += row.paid_ore
            entry["overdue"] += row.is_overdue
    table = []
    for entry in sorted(totals.values(), key=lambda e: e["buyer"]):
        balance = entry["invoiced"] - entry["credited"] - entry["paid"]
        table.append(
            {
                **{k: format_sek(entry[k]) for k in ("invoiced", "credited", "paid")},
                "buyer": entry["buyer"],
                "balance": format_sek(balance),
                "overdue": entry["overdue"],
                "url": reverse("admin:billing_invoice_changelist")
                + f"?buyer__id__exact={entry['buyer_id']}",
            }
        )
    context = _context(model_admin, request, _("Balance per member"), rows=table)
    return TemplateResponse(request, "billing/admin/balances.html", context)


def download(model_admin, request, object_id, file_format: str):
    """An invoice or credit note as PDF or Peppol BIS 3.0 XML (the XML only once issued)."""
    invoice = model_admin.get_queryset(request).filter(pk=object_id).first()
    if invoice is None:
        raise Http404
    document = services.invoice_document(invoice)
    name = invoice.number or f"utkast-{invoice.pk}"
    if file_format != "pdf" and invoice.status != Invoice.Status.ISSUED:
        raise Http404(_("A draft has no e-invoice: approve the run first."))
    from .documents.checks import DocumentError
    from .documents.pdf import invoice_pdf
    from .documents.ubl import invoice_xml

    writer, suffix, content_type = (
        (invoice_pdf, "pdf", "application/pdf")
        if file_format == "pdf"
        else (invoice_xml, "xml", "application/xml")
    )
    try:
        data = writer(document)
    except DocumentError as error:  # e.g. an issuer's VAT number Peppol would reject
        messages.error(request, str(error))
        return redirect("admin:billing_invoice_change", invoice.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response
