from django.contrib import admin
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import services, staff_views
from .models import (
    ConnectionEvent,
    Contact,
    Library,
    Membership,
    Notification,
    Organisation,
    StaffProfile,
)
from .scoping import MunicipalityScopedAdmin

State = ConnectionEvent.State


class LibraryInline(admin.TabularInline):
    model = Library
    extra = 0


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["role", "name", "title", "email", "phone", "is_active"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "organisation"
    extra = 0
    fields = ["route", "group", "invoiced_by", "start_date", "end_date", "note"]


class ConnectionEventInline(admin.TabularInline):
    """The history, read only: steps are added through the member page's lifecycle actions."""

    model = ConnectionEvent
    extra = 0
    fields = ["state", "effective_date", "reason", "recorded_by", "recorded_at", "cancelled_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class StateTodayFilter(admin.SimpleListFilter):
    title = _("state today")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*State.choices, ("none", _("No history"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(state_today__isnull=True)
        if self.value():
            return queryset.filter(state_today=self.value())
        return queryset


class MembershipTypeFilter(admin.SimpleListFilter):
    title = _("membership type")
    parameter_name = "membership"

    def lookups(self, request, model_admin):
        return [*Membership.Route.choices, ("none", _("No membership"))]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(route_today__isnull=True)
        if self.value():
            return queryset.filter(route_today=self.value())
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(MunicipalityScopedAdmin):
    municipality_field = "pk"
    list_display = [
        "member_link",
        "kind",
        "municipality_code",
        "state_today_display",
        "route_today_display",
        "county",
        "population",
    ]
    list_display_links = None
    list_select_related = ["group"]
    list_filter = [
        StateTodayFilter,
        MembershipTypeFilter,
        ("group", admin.RelatedOnlyFieldListFilter),
        "kind",
        "county",
    ]
    search_fields = ["name", "municipality_code", "organisation_number"]
    readonly_fields = ["group"]
    inlines = [MembershipInline, ContactInline, LibraryInline, ConnectionEventInline]
    change_list_template = "members/admin/organisation_change_list.html"
    change_form_template = "members/admin/organisation_change_form.html"
    fieldsets = [
        (
            None,
            {"fields": ["kind", "name", "abbreviation", "municipality_code", "county", "group"]},
        ),
        (
            _("Population"),
            {"fields": ["population", "population_year", "population_source"]},
        ),
        (
            _("Invoicing"),
            {
                "fields": [
                    "organisation_number",
                    "organisation_number_is_placeholder",
                    "address_line",
                    "street",
                    ("postcode", "city"),
                    "country_code",
                    "peppol_id",
                    "invoice_reference",
                    "invoiced_by",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        day = services.today()
        return (
            super()
            .get_queryset(request)
            .annotate(
                state_today=services.state_subquery(day),
                route_today=services.membership_route_subquery(day),
            )
        )

    @admin.display(description=_("name"), ordering="name")
    def member_link(self, obj):
        url = reverse("admin:members_organisation_member", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.name)

    @admin.display(description=_("state today"), ordering="state_today")
    def state_today_display(self, obj):
        return State(obj.state_today).label if obj.state_today else "–"

    @admin.display(description=_("membership type"), ordering="route_today")
    def route_today_display(self, obj):
        if not obj.route_today:
            return "–"
        if obj.route_today == Membership.Route.THROUGH_GROUP and obj.group_id:
            group = obj.group.abbreviation or obj.group.name
            return gettext("through %(group)s") % {"group": group}
        return Membership.Route(obj.route_today).label

    def get_readonly_fields(self, request, obj=None):
        # A municipality's own staff keep its contact and invoice details up to date; what
        # the municipality is and how it is a member is the association's to change.
        if services.is_limited_staff(request.user):
            return ["kind", "name", "abbreviation", "municipality_code", "group", "invoiced_by"]
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        if services.is_limited_staff(request.user):
            return [ContactInline, LibraryInline, ConnectionEventInline]
        return super().get_inlines(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.sync_group(form.instance)

    def get_urls(self):
        def view(function, **kwargs):
            def wrapped(request, *args, **kw):
                return function(self, request, *args, **kw)

            return self.admin_site.admin_view(wrapped)

        return [
            path(
                "<int:object_id>/member/",
                view(staff_views.member_page),
                name="members_organisation_member",
            ),
            path(
                "<int:object_id>/step/<str:verb>/",
                view(staff_views.do_step),
                name="members_organisation_step",
            ),
            path(
                "export/<str:file_format>/",
                view(staff_views.export_register),
                name="members_organisation_export",
            ),
            path("import/", view(staff_views.import_register), name="members_organisation_import"),
            *super().get_urls(),
        ]


@admin.register(Library)
class LibraryAdmin(MunicipalityScopedAdmin):
    list_display = ["name", "display_name", "municipality", "is_active"]
    list_filter = ["is_active", "municipality"]
    search_fields = ["name", "display_name", "municipality__name"]


@admin.register(Contact)
class ContactAdmin(MunicipalityScopedAdmin):
    municipality_field = "organisation"
    list_display = ["name", "role", "organisation", "email", "phone", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["name", "email", "organisation__name"]


@admin.register(Notification)
class NotificationAdmin(MunicipalityScopedAdmin):
    municipality_field = "event__organisation"
    list_display = ["kind", "event", "sent_at", "recipient_count"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
from . import auth_admin  # noqa: E402, F401  (users and groups: permissions in Swedish)
