from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ConnectionEvent, Library, Organisation, StaffProfile
from .scoping import MunicipalityScopedAdmin


class LibraryInline(admin.TabularInline):
    model = Library
    extra = 0


class ConnectionEventInline(admin.TabularInline):
    model = ConnectionEvent
    extra = 0
    fields = ["state", "effective_date", "reason", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    municipality_field = "pk"
    list_display = ["name", "kind", "municipality_code", "county", "population", "group"]
    list_filter = ["kind", "county", "group"]
    search_fields = ["name", "municipality_code", "organisation_number"]
    inlines = [LibraryInline, ConnectionEventInline]


@admin.register(Library)
class LibraryAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "display_name", "municipality", "is_active"]
    list_filter = ["is_active", "municipality"]
    search_fields = ["name", "display_name", "municipality__name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "municipality"]
    list_filter = ["role"]

    # Roles are given by the association only: a municipality administrator must not be able to
    # raise their own role, whatever Django permissions their group holds.
    def _is_association_admin(self, request) -> bool:
        profile = getattr(request.user, "staff_profile", None)
        return request.user.is_superuser or (
            profile is not None and profile.role == StaffProfile.Role.ASSOCIATION_ADMIN
        )

    def has_module_permission(self, request):
        return self._is_association_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_association_admin(request)

    def has_add_permission(self, request):
        return self._is_association_admin(request)

    def has_change_permission(self, request, obj=None):
        return self._is_association_admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._is_association_admin(request)


admin.site.site_header = _("Bibblix staff area")
admin.site.site_title = _("Bibblix staff")
admin.site.index_title = _("Back office")
