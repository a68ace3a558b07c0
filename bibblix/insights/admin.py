from django.contrib import admin

from bibblix.members.scoping import MunicipalityScopedAdmin

from .models import DailyUsage


@admin.register(DailyUsage)
class DailyUsageAdmin(MunicipalityScopedAdmin):
    list_display = ["day", "municipality", "loans_started"]
    list_filter = ["day"]
    date_hierarchy = "day"
