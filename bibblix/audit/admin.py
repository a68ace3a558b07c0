"""The audit trail in the staff area: one read-only list for every app, and each audited object's
own trail on its history page (AuditHistoryMixin).

Staff scoping comes from members.services, the one helper every staff lookup goes through; this is
the only place the audit app reads another app, and only for presentation."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bibblix.lib.money_fields import money_label, money_value

from .models import AuditEntry
from .services import history_for


def _model_of(entry: AuditEntry):
    try:
        return apps.get_model(entry.app_label, entry.model)
    except LookupError:  # a model since removed: the trail outlives it
        return None


def action_label(entry: AuditEntry) -> str:
    """The recorded verb as staff read it (the common ones translated)."""
    return entry.action_label


class ActionFilter(admin.SimpleListFilter):
    """The recorded verbs by their names, not their codes."""

    title = gettext_lazy("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = set(model_admin.get_queryset(request).values_list("action", flat=True))
        names = {action: AuditEntry(action=action).action_label for action in actions}
        return sorted(names.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


def _shown(name: str, value) -> str:
    return "—" if value in (None, "") else money_value(name, value)


def change_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field label, before, after) per change: labels as in the staff area's forms, amounts
    in kronor and rates in per cent rather than öre and basis points."""
    model = _model_of(entry)
    rows = []
    for name, pair in (entry.changes or {}).items():
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        try:
            label = str(money_label(model._meta.get_field(name))) if model else name
        except FieldDoesNotExist:
            label = name
        rows.append((label, _shown(name, before), _shown(name, after)))
    return rows


def _scoped(request, queryset):
    from bibblix.members.services import is_limited_staff, staff_municipality_id

    if not is_limited_staff(request.user):
        return queryset
    municipality_id = staff_municipality_id(request.user)
    if municipality_id is None:
        return queryset.none()
    return queryset.filter(municipality_id=municipality_id)


class AreaFilter(admin.SimpleListFilter):
    """The area (app) by its Swedish name, not its code."""

    title = gettext_lazy("area")
    parameter_name = "app_label"

    def lookups(self, request, model_admin):
        labels = model_admin.get_queryset(request).values_list("app_label", flat=True)
        return sorted(((label, _app_name(label)) for label in set(labels)), key=lambda x: x[1])

    def queryset(self, request, queryset):
        return queryset.filter(app_label=self.value()) if self.value() else queryset


class KindFilter(admin.SimpleListFilter):
    """The kind of row by its name (e.g. "bok"), not the model's code."""

    title = gettext_lazy("kind")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        pairs = set(model_admin.get_queryset(request).values_list("app_label", "model"))
        names = {model: _kind_name(app_label, model) for app_label, model in pairs}
        return sorted(names.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(model=self.value()) if self.value() else queryset


def _app_name(app_label: str) -> str:
    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def _kind_name(app_label: str, model: str) -> str:
    try:
        return str(apps.get_model(app_label, model)._meta.verbose_name)
    except LookupError:
        return model


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, read-only for everyone; a municipality's staff see their own rows."""

    list_display = ["at", "username", "action_shown", "area", "kind", "object_repr", "reason"]
    list_filter = [AreaFilter, ActionFilter, KindFilter]
    search_fields = ["object_repr", "username", "reason"]
    date_hierarchy = "at"
    fields = ["changes_shown" if f.name == "changes" else f.name for f in AuditEntry._meta.fields]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("action"), ordering="action")
    def action_shown(self, entry: AuditEntry) -> str:
        return action_label(entry)

    @admin.display(description=gettext_lazy("area"), ordering="app_label")
    def area(self, entry: AuditEntry) -> str:
        return _app_name(entry.app_label)

    @admin.display(description=gettext_lazy("kind"), ordering="model")
    def kind(self, entry: AuditEntry) -> str:
        return _kind_name(entry.app_label, entry.model)

    @admin.display(description=gettext_lazy("changes"))
    def changes_shown(self, entry: AuditEntry) -> str:
        rows = change_rows(entry)
        if not rows:
            return "—"
        return format_html_join("", "<div><strong>{}</strong>: {} → {}</div>", rows)

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
            "entries": [
                (entry, action_label(entry), change_rows(entry))
                for entry in _scoped(request, history_for(obj))
            ],
            "opts": self.model._meta,
            "app_label": self.model._meta.app_label,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "audit/object_history.html", context)
