from django.contrib import admin

from bibblix.lib.money import format_sek

from .models import (
    AccountMapping,
    BillingRun,
    FeeSchedule,
    FeeTier,
    FeeVat,
    Invoice,
    InvoiceLine,
    Issuer,
    NumberSeries,
    Payment,
)


class FeeTierInline(admin.TabularInline):
    model = FeeTier
    extra = 0


class FeeVatInline(admin.TabularInline):
    model = FeeVat
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "is_example", "vat_rate_basis_points", "connection_fee"]
    inlines = [FeeTierInline, FeeVatInline]

    @admin.display(description="connection fee")
    def connection_fee(self, obj: FeeSchedule) -> str:
        return format_sek(obj.connection_fee_ore)


class NumberSeriesInline(admin.TabularInline):
    model = NumberSeries
    extra = 0
    readonly_fields = ["last_number"]


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ["organisation", "vat_number", "bankgiro", "is_placeholder"]
    inlines = [NumberSeriesInline]


@admin.register(AccountMapping)
class AccountMappingAdmin(admin.ModelAdmin):
    list_display = ["account", "name", "purpose", "fee_type", "issuer"]


@admin.register(BillingRun)
class BillingRunAdmin(admin.ModelAdmin):
    list_display = ["issuer", "year", "quarter", "state", "created_at", "approved_at"]


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "issuer", "buyer", "status", "total_ore"]
    inlines = [InvoiceLineInline]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["paid_on", "amount_ore", "reference", "payer_name", "invoice", "source"]
