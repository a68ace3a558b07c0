"""Back-office follow-up pages under /staff/insights/, behind the staff area's login."""

from django.contrib import admin
from django.urls import path

from . import staff_views as views

app_name = "insights_staff"


def staff(view):
    return admin.site.admin_view(view)


urlpatterns = [
    path("budget/", staff(views.budget_page), name="budget"),
    path("reconciliation/", staff(views.reconciliation_page), name="reconciliation"),
    path("reconciliation.xlsx", staff(views.reconciliation_xlsx), name="reconciliation_xlsx"),
    path("review/", staff(views.review_page), name="review"),
    path("reports/", staff(views.report_open), name="report_open"),
    path("reports/<str:quarter>/", staff(views.report_quarter), name="report_quarter"),
    path("reports/v/<int:pk>/", staff(views.report_preview), name="report_preview"),
    path("reports/v/<int:pk>/approve/", staff(views.report_approve), name="report_approve"),
    path(
        "reports/v/<int:pk>/<str:file_format>/",
        staff(views.report_download),
        name="report_download",
    ),
]
