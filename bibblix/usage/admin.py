from django.contrib import admin

from .models import UsageEvent


@admin.register(UsageEvent)
class UsageEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, so nobody adds, changes or deletes a row by hand.
    Only the association's role may view it (members/roles.py); municipalities see figures."""

    list_display = ["day", "kind", "municipality_id", "library_id", "book_id", "language"]
    list_filter = ["kind", "day"]
    date_hierarchy = "day"
    # The reader key is left out: it is a means of counting, not something to look at.
    fields = readonly_fields = [
        "kind",
        "occurred_at",
        "day",
        "municipality_id",
        "library_id",
        "book_id",
        "age_band",
        "language",
        "pages",
        "seconds",
    ]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
