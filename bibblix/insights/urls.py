"""Mounted at /staff/insights/dashboard/ (bibblix/urls.py), behind the staff login."""

from django.contrib import admin
from django.urls import path

from . import views

staff = admin.site.admin_view

urlpatterns = [
    path("", staff(views.national), name="insights_dashboard"),
    path(
        "<int:municipality_id>/", staff(views.municipality), name="insights_dashboard_municipality"
    ),
    path("export/<slug:table>.<str:fmt>", staff(views.export), name="insights_dashboard_export"),
    path(
        "<int:municipality_id>/export/<slug:table>.<str:fmt>",
        staff(views.export),
        name="insights_dashboard_municipality_export",
    ),
]
