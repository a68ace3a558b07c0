"""Who sees which dashboard: a municipality's staff see their own figures (suppressed) and the
national average, never another municipality's, by page, download or URL."""

import csv
import datetime
import io

import pytest
import time_machine

from bibblix.insights import rollup
from bibblix.usage import services as usage

TODAY = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def counted(ale, boras, make_book):
    """Ale: 3 loans in March and 40 in April; Borås: 57 loans in April; rolled up."""
    book = make_book("Mumintrollet")
    for municipality, day, n in ((ale, 3, 3), (ale, 4, 40), (boras, 4, 57)):
        at = datetime.datetime(2026, day, 10, 12, 0, tzinfo=datetime.UTC)
        for _ in range(n):
            usage.record(usage.Kind.BORROWED, when=at, municipality_id=municipality.pk, book=book)
    rollup.fill(until=datetime.date(2026, 6, 14))


@pytest.fixture(autouse=True)
def _june():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_municipality_staff_are_sent_to_their_own_dashboard(client, municipality_admin_ale, ale):
    client.force_login(municipality_admin_ale)
    response = client.get("/staff/insights/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/insights/dashboard/{ale.pk}/"


def test_own_dashboard_shows_own_figures_suppressed_and_the_country(
    client, municipality_admin_ale, ale, boras, counted
):
    client.force_login(municipality_admin_ale)
    response = client.get(f"/staff/insights/dashboard/{ale.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Borås" not in page
    built = response.context["built"]
    trend = dict(built["tables"][0].rows)
    assert trend["Mar 2026"][0] is None and trend["Apr 2026"][0] is None  # 3, and its complement
    assert dict(built["key_figures"])["Lån"] == 43
    assert built["figures"]["national"]["totals"]["loans"] == 100


def test_another_municipality_is_not_found_by_page_or_download(
    client, municipality_admin_ale, boras, counted
):
    client.force_login(municipality_admin_ale)
    for url in (
        f"/staff/insights/dashboard/{boras.pk}/",
        f"/staff/insights/dashboard/{boras.pk}/export/trend.csv",
        f"/staff/insights/dashboard/{boras.pk}/export/books.xlsx",
        "/staff/insights/dashboard/export/comparison.csv",
    ):
        assert client.get(url).status_code == 404, url


def test_download_has_the_same_hidden_cells_as_the_page(
    client, municipality_admin_ale, ale, counted
):
    client.force_login(municipality_admin_ale)
    response = client.get(f"/staff/insights/dashboard/{ale.pk}/export/trend.csv?year=2026")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    by_month = {row[0]: row[1] for row in rows[2:]}
    assert by_month["Mar 2026"] == "" and by_month["Apr 2026"] == ""
    assert by_month["Maj 2026"] == "0"


def test_xlsx_download_opens(client, coordinator, ale, counted):
    from openpyxl import load_workbook

    client.force_login(coordinator)
    response = client.get(f"/staff/insights/dashboard/{ale.pk}/export/trend.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Mar 2026"] == 3 and values["Apr 2026"] == 40  # the association: exact


def test_association_sees_the_whole_country_and_every_municipality(
    client, coordinator, ale, boras, counted
):
    client.force_login(coordinator)
    response = client.get("/staff/insights/dashboard/")
    assert response.status_code == 200
    comparison = dict(response.context["built"]["tables"][1].rows)
    assert comparison["Ale"][1] == 43 and comparison["Borås"][1] == 57
    assert client.get(f"/staff/insights/dashboard/{boras.pk}/").status_code == 200


def test_economy_role_sees_the_national_dashboard(client, economist, counted):
    client.force_login(economist)
    assert client.get("/staff/insights/dashboard/").status_code == 200


def test_a_librarian_without_the_statistics_permission_is_refused(client, librarian_ale, ale):
    client.force_login(librarian_ale)
    assert client.get(f"/staff/insights/dashboard/{ale.pk}/").status_code == 403


def test_a_year_that_is_not_one_gives_a_clear_400(client, coordinator):
    client.force_login(coordinator)
    for year in ("tjugo", "1999", "2030"):
        response = client.get(f"/staff/insights/dashboard/?year={year}")
        assert response.status_code == 400
        assert "2020" in response.content.decode()


def test_an_unknown_table_or_format_is_not_a_500(client, coordinator, counted):
    client.force_login(coordinator)
    assert client.get("/staff/insights/dashboard/export/nothing.csv").status_code == 404
    assert client.get("/staff/insights/dashboard/export/trend.pdf").status_code == 400


def test_not_logged_in_goes_to_the_staff_login(client):
    response = client.get("/staff/insights/dashboard/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
