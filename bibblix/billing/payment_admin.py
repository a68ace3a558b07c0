"""Payments in the staff area: the payments list (with an "unmatched" filter), BgMax upload,
matching a payment by hand, BgMax files and reminders read-only, and the overdue list with
"send reminders". Payments are never deleted or edited here: they come from files, and a
payment is matched through its own audited form. A municipality's staff see only payments of
their own invoices, read-only."""

from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bibblix.audit.admin import AuditHistoryMixin
from bibblix.lib.money import format_sek
from bibblix.lib.money_fields import InKronor
from bibblix.members.scoping import MunicipalityScopedAdmin

from . import payment_views
from .models import Payment
from .payment_models import BgMaxFile, Reminder


class MatchedFilter(admin.SimpleListFilter):
    title = _("matching")
    parameter_name = "matched"

    def lookups(self, request, model_admin):
        return [("no", _("Unmatched")), ("yes", _("Matched"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(invoice__isnull=True)
        if self.value() == "yes":
            return queryset.filter(invoice__isnull=False)
        return queryset


class ReadOnlyAdmin(InKronor, MunicipalityScopedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(AuditHistoryMixin, ReadOnlyAdmin):
    municipality_field = "invoice__buyer"
    list_display = [
        "paid_on",
        "amount",
        "payer_name",
        "reference",
        "invoice_link",
        "buyer",
        "source",
    ]
    list_filter = [MatchedFilter, "source"]
    search_fields = ["reference", "payer_name", "invoice__number", "invoice__buyer__name"]
    list_select_related = ["invoice", "invoice__buyer"]
    date_hierarchy = "paid_on"
    change_list_template = "billing/admin/payment_change_list.html"

    @admin.display(description=_("amount"), ordering="amount_ore")
    def amount(self, obj: Payment) -> str:
        return format_sek(obj.amount_ore)

    @admin.display(description=_("invoice"), ordering="invoice__number")
    def invoice_link(self, obj: Payment) -> str:
        return obj.invoice.number if obj.invoice else "–"

    @admin.display(description=_("buyer"))
    def buyer(self, obj: Payment) -> str:
        return obj.invoice.buyer.name if obj.invoice else "–"

    @admin.display(description="")
    def match_link(self, obj: Payment) -> str:
        if obj.invoice_id:
            return ""
        url = reverse("admin:billing_payment_match", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Match to invoice"))

    def get_list_display(self, request):
        if payment_views.can_handle(request.user, "change_payment"):
            return [*self.list_display[:2], "match_link", *self.list_display[2:]]
        return self.list_display

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_import": payment_views.can_handle(request.user, "add_payment"),
        }
        return super().changelist_view(request, extra_context)

    def get_urls(self):
        def view(function):
            def wrapped(request, *args, **kwargs):
                return function(self, request, *args, **kwargs)

            return self.admin_site.admin_view(wrapped)

        return [
            path("import/", view(payment_views.import_file), name="billing_payment_import"),
            path("<int:object_id>/match/", view(payment_views.match), name="billing_payment_match"),
            path("overdue/", view(payment_views.overdue), name="billing_payment_overdue"),
            *super().get_urls(),
        ]


@admin.register(BgMaxFile)
class BgMaxFileAdmin(ReadOnlyAdmin):
    """Files read; only the association's staff see them (they list every buyer's payments)."""

    list_display = [
        "imported_at",
        "name",
        "imported_by",
        "payment_count",
        "total",
        "matched_count",
        "unmatched_count",
        "skipped_count",
    ]

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset.none() if payment_views.is_limited(request.user) else queryset

    @admin.display(description=_("total"), ordering="total_ore")
    def total(self, obj: BgMaxFile) -> str:
        return format_sek(obj.total_ore)


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    municipality_field = "invoice__buyer"
    list_display = ["sent_at", "invoice", "buyer", "level", "outstanding", "sent_to", "sent_by"]
    list_select_related = ["invoice", "invoice__buyer", "sent_by"]
    list_filter = ["level"]

    @admin.display(description=_("buyer"))
    def buyer(self, obj: Reminder) -> str:
        return obj.invoice.buyer.name

    @admin.display(description=_("outstanding"), ordering="outstanding_ore")
    def outstanding(self, obj: Reminder) -> str:
        return format_sek(obj.outstanding_ore)
