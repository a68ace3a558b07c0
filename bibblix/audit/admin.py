"""The audit trail in the staff area: one read-only list for every app, and each audited object's
own trail on its history page (AuditHistoryMixin).

Staff scoping comes from members.services, the one helper every staff lookup goes through; this is
the only place the audit app reads another app, and only for presentation."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .models import AuditEntry
from .services import history_for


def _scoped(request, queryset):
    from bibblix.members.services import is_limited_staff, staff_municipality_id

    if not is_limited_staff(request.user):
        return queryset
    municipality_id = staff_municipality_id(request.user)
    if municipality_id is None:
        return queryset.none()
    return queryset.filter(municipality_id=municipality_id)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read-only for everyone; a municipality's staff see their own rows."""

    list_display = ["at", "username", "action", "app_label", "model", "object_repr", "reason"]
    list_filter = ["app_label", "action", "model"]
    search_fields = ["object_repr", "username", "reason"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def get_queryset(self, request):
        return _scoped(request, super().get_queryset(request).select_related("user"))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditHistoryMixin:
    """Shows an object's audit trail (who, when, what before and after, why) on its history
    page in the staff area, instead of Django's own log."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "object": obj,
            "entries": _scoped(request, history_for(obj)),
            "opts": self.model._meta,
            "app_label": self.model._meta.app_label,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "audit/object_history.html", context)
