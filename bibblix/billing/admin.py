from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bibblix.lib.money import format_percent, format_sek
from bibblix.lib.money_fields import InKronor
from bibblix.members.services import is_limited_staff

from .models import (
    AccountMapping,
    FeeSchedule,
    FeeTier,
    FeeVat,
    Issuer,
    NumberSeries,
)


class AssociationOnlyAdmin(admin.ModelAdmin):
    """Fees, issuers and accounts are the association's: a municipality's staff never see them
    (their role may view billing only for their own invoices)."""

    def has_module_permission(self, request):
        return not is_limited_staff(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return not is_limited_staff(request.user) and super().has_view_permission(request, obj)


class FeeTierInline(InKronor, admin.TabularInline):
    model = FeeTier
    extra = 0


class FeeVatInline(InKronor, admin.TabularInline):
    model = FeeVat
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(InKronor, AssociationOnlyAdmin):
    list_display = ["year", "is_example", "vat_rate", "connection_fee"]
    inlines = [FeeTierInline, FeeVatInline]

    @admin.display(description=_("VAT rate"))
    def vat_rate(self, obj: FeeSchedule) -> str:
        return format_percent(obj.vat_rate_basis_points)

    @admin.display(description=_("connection fee"))
    def connection_fee(self, obj: FeeSchedule) -> str:
        return format_sek(obj.connection_fee_ore)


class NumberSeriesInline(admin.TabularInline):
    model = NumberSeries
    extra = 0
    readonly_fields = ["last_number"]


@admin.register(Issuer)
class IssuerAdmin(AssociationOnlyAdmin):
    list_display = ["organisation", "vat_number", "bankgiro", "is_placeholder"]
    inlines = [NumberSeriesInline]


@admin.register(AccountMapping)
class AccountMappingAdmin(AssociationOnlyAdmin):
    list_display = ["account", "name", "purpose", "fee_type", "issuer"]


# Payments, BgMax files and reminders: their own module (PaymentAdmin with its screens).
from . import payment_admin, run_admin  # noqa: E402, F401
