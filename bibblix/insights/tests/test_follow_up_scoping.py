"""A municipality's staff see only their own municipality's follow-up: by page, export or URL;
budget and status reports are the association's alone."""

import io

import pytest
from openpyxl import load_workbook

from bibblix.insights.quarters import YearQuarter
from bibblix.insights.report import start_draft

from .report_builders import register


@pytest.fixture
def staff_of_ale(db, django_user_model):
    from bibblix.members.models import StaffProfile

    reg = register()
    user = django_user_model.objects.create_user(username="admin-ale", password="pw-for-tests-1")
    StaffProfile.objects.create(
        user=user, role=StaffProfile.Role.MUNICIPALITY_ADMIN, municipality=reg.ale
    )
    return user, reg


def test_reconciliation_page_and_xlsx_show_only_the_own_municipality(client, staff_of_ale):
    user, reg = staff_of_ale
    client.force_login(user)
    page = client.get("/staff/insights/reconciliation/?year=2026")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ale" in text
    assert not any(name in text for name in ("Borås", "Lerum", "Kungälv", "Tjörn"))
    export = client.get("/staff/insights/reconciliation.xlsx?year=2026")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Ale"]


def test_review_shows_only_the_own_municipality(client, staff_of_ale):
    user, _reg = staff_of_ale
    client.force_login(user)
    text = client.get("/staff/insights/review/").content.decode()
    assert "Ale" in text and "Lerum" not in text and "Borås" not in text


def test_budget_and_reports_are_closed_to_a_municipality_even_by_url(
    client, staff_of_ale, coordinator
):
    user, _reg = staff_of_ale
    report = start_draft(YearQuarter(2026, 4), coordinator)
    client.force_login(user)
    for url in (
        "/staff/insights/budget/",
        "/staff/insights/reports/2026Q4/",
        f"/staff/insights/reports/v/{report.pk}/",
        f"/staff/insights/reports/v/{report.pk}/pdf/",
        f"/staff/insights/reports/v/{report.pk}/docx/",
        "/staff/insights/statusreport/",
        f"/staff/insights/statusreport/{report.pk}/change/",
        "/staff/insights/budgetline/",
        "/staff/insights/costline/",
    ):
        assert client.get(url).status_code == 403, url


def test_a_bad_quarter_or_file_type_is_a_clear_404(client, coordinator):
    register()
    report = start_draft(YearQuarter(2026, 4), coordinator)
    client.force_login(coordinator)
    assert client.get("/staff/insights/reports/2026Q9/").status_code == 404
    assert client.get(f"/staff/insights/reports/v/{report.pk}/odt/").status_code == 404
    assert client.get("/staff/insights/reports/v/999999/").status_code == 404
