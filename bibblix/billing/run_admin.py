"""Billing runs and invoices in the staff area. Runs: the list, "compute a run", and each run's
preview with the approve form (its own permission). Invoices and credit notes: read-only, with
their state from the ledger and PDF and Peppol XML downloads; a municipality's staff see only
their own issued invoices. A member's page lists its invoices through an inline that billing adds
to the member register's admin, so `members` never imports `billing`."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bibblix.lib.money import format_sek
from bibblix.lib.money_fields import InKronor
from bibblix.members.models import Organisation
from bibblix.members.scoping import MunicipalityScopedAdmin
from bibblix.members.services import is_limited_staff

from . import run_views
from .models import BillingRun, Invoice, InvoiceLine, Payment
from .services import invoice_state


def _view(model_admin, function, **fixed):
    def wrapped(request, *args, **kwargs):
        return function(model_admin, request, *args, **kwargs, **fixed)

    return model_admin.admin_site.admin_view(wrapped)


@admin.register(BillingRun)
class BillingRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "year", "quarter", "state", "document_count", "created_at",
                    "approved_at", "approved_by"]  # fmt: skip
    list_filter = ["state", "year", "issuer"]
    list_select_related = ["issuer__organisation", "approved_by"]
    change_list_template = "billing/admin/run_change_list.html"

    @admin.display(description=_("documents"))
    def document_count(self, obj: BillingRun) -> int:
        return obj.invoices.count()

    def has_module_permission(self, request):
        return not is_limited_staff(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return not is_limited_staff(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return False  # runs change only by computing and approving

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra = {"can_run": run_views.can_run(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def get_urls(self):
        return [
            path("compute/", _view(self, run_views.compute), name="billing_billingrun_compute"),
            path(
                "<int:object_id>/change/",
                _view(self, run_views.preview),
                name="billing_billingrun_change",
            ),  # fmt: skip
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return run_views.compute(self, request)


class StateFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Invoice.Kind.choices

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


def with_amounts(queryset):
    """Invoices annotated with what is paid and credited (for the state, as in the ledger)."""
    paid = Payment.objects.filter(invoice=OuterRef("pk")).values("invoice")
    credited = Invoice.objects.filter(credits=OuterRef("pk"), status=Invoice.Status.ISSUED).values(
        "credits"
    )
    return queryset.annotate(
        paid=Coalesce(Subquery(paid.annotate(s=Sum("amount_ore")).values("s")), 0),
        credited=Coalesce(Subquery(credited.annotate(s=Sum("total_ore")).values("s")), 0),
    )


# The ledger's payment states (services.invoice_state) as staff read them.
STATE_LABELS = {
    "open": pgettext_lazy("invoice state", "open"),
    "partly_paid": pgettext_lazy("invoice state", "partly paid"),
    "paid": pgettext_lazy("invoice state", "paid"),
    "overpaid": pgettext_lazy("invoice state", "overpaid"),
    "credited": pgettext_lazy("invoice state", "credited"),
}


def _state(invoice) -> str:
    if invoice.status == Invoice.Status.DRAFT:
        return str(Invoice.Status.DRAFT.label)
    if invoice.kind == Invoice.Kind.CREDIT_NOTE:
        return str(_("credit note"))
    state = invoice_state(invoice.total_ore, invoice.credited, invoice.paid)
    return str(STATE_LABELS.get(state, state))


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    fields = ["position", "description", "provenance", "period_start", "period_end", "amount"]
    readonly_fields = fields
    can_delete = False

    @admin.display(description=_("amount"))
    def amount(self, obj) -> str:
        return format_sek(obj.net_ore)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(InKronor, MunicipalityScopedAdmin):
    municipality_field = "buyer"
    list_display = ["number_or_draft", "kind", "issuer", "buyer", "issue_date", "due_date",
                    "total", "paid_amount", "state", "downloads"]  # fmt: skip
    list_filter = [StateFilter, "status", "year", "issuer"]
    search_fields = ["number", "ocr", "buyer__name"]
    list_select_related = ["issuer", "buyer"]
    inlines = [InvoiceLineInline]
    change_list_template = "billing/admin/invoice_change_list.html"
    exclude = ["parties"]
    readonly_fields = [f.name for f in Invoice._meta.fields if f.name != "parties"]

    def get_queryset(self, request):
        queryset = with_amounts(super().get_queryset(request))
        if is_limited_staff(request.user):
            queryset = queryset.filter(status=Invoice.Status.ISSUED)
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # invoices change only through runs

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("number"), ordering="number")
    def number_or_draft(self, obj) -> str:
        return obj.number or f"({Invoice.Status.DRAFT.label} {obj.pk})"

    @admin.display(description=_("total"), ordering="total_ore")
    def total(self, obj) -> str:
        return format_sek(obj.total_ore)

    @admin.display(description=_("paid"))
    def paid_amount(self, obj) -> str:
        return format_sek(obj.paid)

    @admin.display(description=_("state"))
    def state(self, obj) -> str:
        return _state(obj)

    @admin.display(description=_("files"))
    def downloads(self, obj) -> str:
        pdf = reverse("admin:billing_invoice_pdf", args=[obj.pk])
        if obj.status != Invoice.Status.ISSUED:
            return format_html('<a href="{}">PDF</a>', pdf)
        xml = reverse("admin:billing_invoice_xml", args=[obj.pk])
        return format_html('<a href="{}">PDF</a> · <a href="{}">Peppol XML</a>', pdf, xml)

    def get_urls(self):
        return [
            path("balances/", _view(self, run_views.balances), name="billing_invoice_balances"),
            path(
                "<int:object_id>/pdf/",
                _view(self, run_views.download, file_format="pdf"),
                name="billing_invoice_pdf",
            ),  # fmt: skip
            path(
                "<int:object_id>/xml/",
                _view(self, run_views.download, file_format="xml"),
                name="billing_invoice_xml",
            ),  # fmt: skip
            *super().get_urls(),
        ]


class MemberInvoiceInline(admin.TabularInline):
    """The member's issued invoices and credit notes on its page in the member register."""

    model = Invoice
    fk_name = "buyer"
    extra = 0
    can_delete = False
    verbose_name_plural = _("invoices and credit notes")
    fields = ["link", "kind", "issuer", "issue_date", "due_date", "total", "state"]
    readonly_fields = fields

    def get_queryset(self, request):
        issued = super().get_queryset(request).filter(status=Invoice.Status.ISSUED)
        return with_amounts(issued).select_related("issuer").order_by("-issue_date", "-pk")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("number"))
    def link(self, obj) -> str:
        url = reverse("admin:billing_invoice_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.number)

    @admin.display(description=_("total"))
    def total(self, obj) -> str:
        return format_sek(obj.total_ore)

    @admin.display(description=_("state"))
    def state(self, obj) -> str:
        return _state(obj)


def _show_invoices_on_member_pages() -> None:
    member_admin = admin.site.get_model_admin(Organisation)
    if MemberInvoiceInline not in member_admin.inlines:
        member_admin.inlines = [*member_admin.inlines, MemberInvoiceInline]


_show_invoices_on_member_pages()
