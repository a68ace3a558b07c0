from django.contrib import admin

from bibblix.members.scoping import MunicipalityScopedAdmin

from .models import LocalCard, Patron


@admin.register(Patron)
class PatronAdmin(MunicipalityScopedAdmin):
    list_display = ["__str__", "municipality", "library", "created_at", "last_active_at"]
    list_filter = ["municipality"]
    readonly_fields = ["public_id", "municipality", "library", "created_at", "last_active_at"]
    fields = readonly_fields + ["preferences"]

    def has_add_permission(self, request):
        return False


@admin.register(LocalCard)
class LocalCardAdmin(MunicipalityScopedAdmin):
    municipality_field = "library__municipality"
    list_display = ["__str__", "library", "is_blocked", "is_child", "created_at"]
    list_filter = ["is_blocked", "is_child"]
