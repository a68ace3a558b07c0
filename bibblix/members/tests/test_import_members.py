"""import_members loads or updates the register idempotently and reports each bad row."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bibblix.members import services
from bibblix.members.models import Membership, Organisation

HEADER = "name,municipality_code,county,population_approx_2024,membership,region_group"


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "register.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


@pytest.mark.django_db
def test_import_creates_municipalities_regions_and_memberships(tmp_path, capsys):
    path = write(
        tmp_path,
        "Ale,1440,Västra Götaland,32500,group,VGR",
        "Stockholm,0180,Stockholm,988000,direct,",
    )
    call_command("import_members", str(path))
    ale = Organisation.objects.get(municipality_code="1440")
    assert ale.population == 32500 and ale.population_year == 2024
    assert ale.group.abbreviation == "VGR"
    assert services.membership_on(ale).route == Membership.Route.THROUGH_GROUP
    assert services.membership_on(Organisation.objects.get(name="Stockholm")).route == "direct"
    assert "2 nya, 0 uppdaterade" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_twice_changes_nothing(tmp_path, capsys):
    path = write(tmp_path, "Ale,1440,Västra Götaland,32500,group,VGR")
    call_command("import_members", str(path))
    counts = (Organisation.objects.count(), Membership.objects.count())
    call_command("import_members", str(path))
    assert (Organisation.objects.count(), Membership.objects.count()) == counts
    assert "0 nya, 0 uppdaterade, 1 oförändrade" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_updates_a_match_on_code_and_changes_membership(tmp_path, ale, region):
    services.record_membership(
        ale, Membership.Route.THROUGH_GROUP, datetime.date(2021, 1, 1), region
    )
    path = write(
        tmp_path,
        "Ale,1440,Västra Götaland,33000,direct,,2120001439,2026-01-01",
        header=HEADER + ",organisation_number,member_since",
    )
    call_command("import_members", str(path))
    ale.refresh_from_db()
    assert ale.population == 33000 and ale.organisation_number == "212000-1439"
    assert ale.group is None
    assert services.membership_on(ale, datetime.date(2025, 6, 1)).group == region
    assert services.membership_on(ale, datetime.date(2026, 1, 1)).route == "direct"


@pytest.mark.django_db
def test_import_matches_on_organisation_number_when_the_code_is_new(tmp_path, ale):
    ale.organisation_number = "212000-1439"
    ale.save()
    path = write(
        tmp_path,
        "Ale kommun,1441,Västra Götaland,32500,direct,,212000-1439",
        header=HEADER + ",organisation_number",
    )
    call_command("import_members", str(path))
    ale.refresh_from_db()
    assert ale.municipality_code == "1441" and ale.name == "Ale kommun"
    assert Organisation.objects.filter(kind="municipality").count() == 1


@pytest.mark.django_db
def test_bad_rows_are_reported_and_good_rows_kept(tmp_path, capsys):
    path = write(
        tmp_path,
        "Ale,1440,Västra Götaland,32500,group,VGR,,",
        "Borås,1490,Västra Götaland,many,group,VGR,,",
        "Hjo,1497,Västra Götaland,9200,sometimes,,,",
        "Lerum,14,Västra Götaland,43500,direct,,,",
        "Mark,1463,Västra Götaland,35000,direct,,212000-1430,",
        "Orust,1421,Västra Götaland,15300,direct,,,2120001439",
        ",1402,Västra Götaland,40500,direct,,,",
        "Tibro,1472,Västra Götaland,11300,group,,,",
        header=HEADER + ",organisation_number,peppol_id",
    )
    with pytest.raises(CommandError, match="7 rader importerades inte"):
        call_command("import_members", str(path))
    err = capsys.readouterr().err
    assert "Rad 3: Invånarantalet måste vara ett heltal: many" in err
    assert "Rad 4: Medlemskap ska vara ”direct” eller ”group”" in err
    assert "Rad 5: municipality_code: Kommunkoden är fyra siffror" in err
    assert "Rad 6: organisation_number:" in err
    assert "Rad 7: peppol_id:" in err
    assert "Rad 8: Kolumnen name är tom." in err
    assert "Rad 9: Ett gruppmedlemskap behöver region_group" in err
    assert list(
        Organisation.objects.filter(kind="municipality").values_list("name", flat=True)
    ) == ["Ale"]


@pytest.mark.django_db
def test_missing_columns_are_reported(tmp_path, capsys):
    path = write(tmp_path, "Ale,1440", header="name,municipality_code")
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    assert "Rad 2: Kolumner saknas: county, membership, region_group" in capsys.readouterr().err


@pytest.mark.django_db
@pytest.mark.shared
def test_the_shared_municipalities_file_imports_cleanly(settings, capsys):
    call_command("import_members", str(Path(settings.SHARED_DIR) / "data" / "municipalities.csv"))
    assert Organisation.objects.filter(kind="municipality").count() == 33
    assert Organisation.objects.filter(group__abbreviation="VGR").count() == 31


@pytest.mark.django_db
def test_xlsx_bad_rows_are_reported_with_their_sheet_row(tmp_path, capsys):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(["Stockholm", 180, "Stockholm", 988000, "direct", None])
    sheet.append(["Hjo", "1497", "Västra Götaland", "många", "direct", None])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError):
        call_command("import_members", str(path))
    assert "Rad 3: Invånarantalet måste vara ett heltal: många" in capsys.readouterr().err
    assert Organisation.objects.get(municipality_code="0180").name == "Stockholm"


@pytest.mark.django_db
def test_csv_saved_by_excel_in_windows_1252_imports(tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes(f"{HEADER}\nBorås,1490,Västra Götaland,115000,direct,\n".encode("cp1252"))
    call_command("import_members", str(path))
    assert Organisation.objects.get(municipality_code="1490").name == "Borås"
