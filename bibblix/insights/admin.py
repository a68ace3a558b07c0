from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bibblix.members.scoping import MunicipalityScopedAdmin
from bibblix.members.services import is_limited_staff

from .models import DailyUsage

# Outside the association, small counts are shown as "< 5" so that a day's figure in a small
# municipality cannot point to one child.
SMALL_COUNT = 5


@admin.register(DailyUsage)
class DailyUsageAdmin(MunicipalityScopedAdmin):
    list_filter = ["day"]
    date_hierarchy = "day"

    def get_list_display(self, request):
        if is_limited_staff(request.user):
            return ["day", "municipality", "loans_started_suppressed"]
        return ["day", "municipality", "loans_started"]

    def get_fields(self, request, obj=None):
        if is_limited_staff(request.user):
            return ["day", "municipality", "loans_started_suppressed"]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if is_limited_staff(request.user):
            return ["day", "municipality", "loans_started_suppressed"]
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("loans started"))
    def loans_started_suppressed(self, obj: DailyUsage) -> str:
        return f"< {SMALL_COUNT}" if obj.loans_started < SMALL_COUNT else str(obj.loans_started)
