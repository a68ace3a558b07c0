from django.contrib import admin

from bibblix.lib.money import format_sek

from .models import FeeSchedule, FeeTier


class FeeTierInline(admin.TabularInline):
    model = FeeTier
    extra = 0


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "vat_rate_basis_points", "connection_fee"]
    inlines = [FeeTierInline]

    @admin.display(description="connection fee")
    def connection_fee(self, obj: FeeSchedule) -> str:
        return format_sek(obj.connection_fee_ore)
