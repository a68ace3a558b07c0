"""The staff area of reading joy: challenges (scoped: the association's staff run national ones,
a municipality's staff their own) and each library's tips shelf.

On purpose there is no admin for the reading log, badges, ratings or a child's place in a
challenge: no adult sees one child's reading. A challenge shows children per library as counts,
counts under 5 hidden (services.participation_by_library).
"""

from contextvars import ContextVar

from django.contrib import admin
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from bibblix.audit.admin import AuditHistoryMixin
from bibblix.audit.models import AuditEntry
from bibblix.audit.services import record_change
from bibblix.members.scoping import MunicipalityScopedAdmin
from bibblix.members.services import is_limited_staff, staff_municipality_id

from . import services
from .models import Challenge, LibraryTip

_viewer_municipality: ContextVar[int | None] = ContextVar("viewer_municipality", default=None)


class AuditedScopedAdmin(AuditHistoryMixin, MunicipalityScopedAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            n: [str(form.initial.get(n)), str(form.cleaned_data.get(n))] for n in form.changed_data
        }
        action = AuditEntry.Action.CHANGED if change else AuditEntry.Action.CREATED
        record_change(
            request.user, action, obj, changes, municipality_id=staff_municipality_id(request.user)
        )

    def delete_model(self, request, obj):
        record_change(
            request.user,
            AuditEntry.Action.DELETED,
            obj,
            municipality_id=staff_municipality_id(request.user),
        )
        super().delete_model(request, obj)


@admin.register(Challenge)
class ChallengeAdmin(AuditedScopedAdmin):
    municipality_field = "organiser"
    list_display = ["title", "organiser", "starts_on", "ends_on", "goal", "goal_count"]
    list_filter = ["goal", ("organiser", admin.EmptyFieldListFilter)]
    search_fields = ["title"]
    filter_horizontal = ["municipalities", "themes"]
    autocomplete_fields = ["books"]
    readonly_fields = ["participation"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The participation field shows the viewer's own libraries (all for the association's
        # staff); the ModelAdmin is shared between threads, so the viewer goes in a ContextVar
        # and the page is rendered before it is reset.
        token = _viewer_municipality.set(staff_municipality_id(request.user))
        try:
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
            return response
        finally:
            _viewer_municipality.reset(token)

    def get_queryset(self, request):
        # A municipality's staff also see the national challenges (read only), to follow their
        # own libraries' counts in them.
        rows = admin.ModelAdmin.get_queryset(self, request)
        if not is_limited_staff(request.user):
            return rows
        own = staff_municipality_id(request.user)
        if own is None:
            return rows.none()
        return rows.filter(Q(organiser_id=own) | Q(organiser__isnull=True))

    def _is_theirs(self, request, obj) -> bool:
        if obj is None or not is_limited_staff(request.user):
            return True
        return obj.organiser_id is not None and obj.organiser_id == staff_municipality_id(
            request.user
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._is_theirs(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._is_theirs(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "organiser"] if is_limited_staff(request.user) else fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "municipalities" and is_limited_staff(request.user):
            kwargs["queryset"] = db_field.related_model.objects.filter(
                pk=staff_municipality_id(request.user)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if is_limited_staff(request.user):
            obj.organiser_id = staff_municipality_id(request.user)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if is_limited_staff(request.user):  # a municipality's challenge is for its own children
            form.instance.municipalities.set([staff_municipality_id(request.user)])

    @admin.display(description=_("children per library"))
    def participation(self, obj):
        if obj.pk is None:
            return "–"
        rows = services.participation_by_library(obj, _viewer_municipality.get())
        if not rows:
            return _("No one has joined yet.")
        return format_html_join(
            "",
            "<div>{}: {}</div>",
            ((name, count if count is not None else _("fewer than 5")) for name, count in rows),
        )


@admin.register(LibraryTip)
class LibraryTipAdmin(AuditedScopedAdmin):
    municipality_field = "library__municipality"
    list_display = ["library", "book", "position"]
    list_filter = ["library"]
    autocomplete_fields = ["book"]
    ordering = ["library", "position"]
