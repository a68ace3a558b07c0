from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from .models import ScheduledRun, TaskLease


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TaskLease)
class TaskLeaseAdmin(ReadOnlyAdmin):
    """Long work in the worker: what runs, how far it has come, how often it was tried."""

    list_display = [
        "task_path",
        "status",
        "progress",
        "outcome",
        "attempts",
        "worker_id",
        "updated_at",
    ]
    search_fields = ["task_path"]
    ordering = ["-updated_at"]

    @admin.display(description=_("status"))
    def status(self, obj):
        result = DBTaskResult.objects.filter(pk=obj.task_id).values_list("status", flat=True)
        return result.first() or "—"

    @admin.display(description=_("outcome"))
    def outcome(self, obj):
        """What the task returned (e.g. an import's book or the reason it was refused)."""
        row = DBTaskResult.objects.filter(pk=obj.task_id).values("return_value").first()
        value = row and row["return_value"]
        return str(value)[:200] if value not in (None, "") else "—"

    @admin.display(description=_("progress"))
    def progress(self, obj):
        if obj.progress_total:
            return f"{obj.progress_done} / {obj.progress_total}"
        return str(obj.progress_done) if obj.progress_done else "—"


@admin.register(ScheduledRun)
class ScheduledRunAdmin(ReadOnlyAdmin):
    list_display = ["job", "slot", "claimed_by", "claimed_at", "task_id"]
    list_filter = ["job"]
