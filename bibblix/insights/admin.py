"""Staff pages of the insights app's own rows: budget lines, costs and status reports."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from bibblix.audit.admin import AuditHistoryMixin
from bibblix.audit.services import record_change
from bibblix.lib.money import format_sek
from bibblix.lib.money_fields import InKronor
from bibblix.members.services import is_limited_staff

from .models import BudgetLine, CostLine, StatusReport
from .report import TEXT_FIELDS

# The roll-ups have no admin pages of their own: raw figures would show small counts to
# municipality staff. Staff read them through the dashboards (views.py), which suppress.


# --- budget, costs and status reports (the association's own work) ---------------------------


class AssociationOnlyAdmin(InKronor, AuditHistoryMixin, admin.ModelAdmin):
    """Rows of the association itself: a municipality's staff never see them, whatever their
    group's Django permissions say. Amounts typed and shown in kronor."""

    def _may(self, request) -> bool:
        return not is_limited_staff(request.user)

    def has_module_permission(self, request):
        return self._may(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._may(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._may(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may(request) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            name: [form.initial.get(name), form.cleaned_data.get(name)]
            for name in form.changed_data
        }
        record_change(request.user, "change" if change else "add", obj, changes)

    def delete_model(self, request, obj):
        record_change(
            request.user, "delete", obj, {"amount_ore": [getattr(obj, "amount_ore", None), None]}
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(BudgetLine)
class BudgetLineAdmin(AssociationOnlyAdmin):
    list_display = ["year", "quarter", "kind", "account", "label", "amount"]
    list_filter = ["year", "quarter", "kind"]
    search_fields = ["label", "account"]
    change_list_template = "insights/admin/budget_change_list.html"

    @admin.display(description=_("amount"), ordering="amount_ore")
    def amount(self, obj: BudgetLine) -> str:
        return format_sek(obj.amount_ore)


@admin.register(CostLine)
class CostLineAdmin(AssociationOnlyAdmin):
    list_display = ["date", "label", "account", "amount", "note"]
    date_hierarchy = "date"
    search_fields = ["label", "account", "note"]

    @admin.display(description=_("amount"), ordering="amount_ore")
    def amount(self, obj: CostLine) -> str:
        return format_sek(obj.amount_ore)


@admin.register(StatusReport)
class StatusReportAdmin(AssociationOnlyAdmin):
    """Drafts are edited here (the free texts); approved versions are read-only."""

    list_display = ["__str__", "state", "updated_at", "approved_at", "approved_by", "preview"]
    list_filter = ["state", "year", "quarter"]
    fields = ["year", "quarter", "version", "state", *TEXT_FIELDS]
    readonly_fields = ["year", "quarter", "version", "state"]
    change_list_template = "insights/admin/statusreport_change_list.html"

    def has_add_permission(self, request):
        return False  # a draft is started per quarter from the list (start_draft)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_approved:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # approved versions stay available; drafts are edited, not deleted

    @admin.display(description=_("preview"))
    def preview(self, obj: StatusReport) -> str:
        url = reverse("insights_staff:report_preview", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("preview"))

    def response_change(self, request, obj):
        if "_continue" not in request.POST and "_addanother" not in request.POST:
            return redirect("insights_staff:report_preview", obj.pk)
        return super().response_change(request, obj)


# The staff area opens on what needs attention for the user's role (insights/staff_home.py),
# with the list of tables below it.
admin.site.index_template = "insights/admin/staff_home.html"
