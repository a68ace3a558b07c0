"""Import and export of the member register as CSV or XLSX.

The format is the columns of shared/data/municipalities.csv (name, municipality_code, county,
population_approx_2024, membership, region_group) plus optional columns (OPTIONAL below). Rows
are matched on municipality code, else on organisation number, so an import can be run again.
Each bad row is reported with its row number and reason; the good rows are kept.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from . import services
from .models import Membership, Organisation
from .validators import format_organisation_number, normalise_peppol_id

REQUIRED = ["name", "municipality_code", "county", "membership", "region_group"]
OPTIONAL = [
    "population",
    "population_year",
    "population_source",
    "organisation_number",
    "organisation_number_is_placeholder",
    "address_line",
    "street",
    "postcode",
    "city",
    "country_code",
    "peppol_id",
    "invoice_reference",
    "member_since",
]
EXPORT_ONLY = ["state_today"]  # written for reading, ignored by the import
COLUMNS = REQUIRED + OPTIONAL + EXPORT_ONLY
POPULATION_APPROX = re.compile(r"^population_approx_(\d{4})$")  # as in municipalities.csv
MEMBERSHIP_VALUES = {"direct": Membership.Route.DIRECT, "group": Membership.Route.THROUGH_GROUP}
TRUE_VALUES = {"1", "true", "yes", "ja", "x"}


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    regions_created: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, reason)

    @property
    def ok(self) -> bool:
        return not self.errors


class BadRow(Exception):
    pass


# --- reading -----------------------------------------------------------------------------------


def read_rows(name: str, content: bytes) -> Iterator[tuple[int, dict]]:
    """(row number, row) pairs from a CSV or XLSX file; the header is row 1."""
    if name.lower().endswith(".xlsx"):
        yield from _xlsx_rows(content)
    else:
        yield from _csv_rows(content)


def _csv_rows(content: bytes) -> Iterator[tuple[int, dict]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")  # "CSV" saved by a Swedish Excel
    try:
        # Only the delimiter is taken from the header: sniffing quote rules from a line with no
        # quotes would turn off Excel's doubled quotes ("") inside quoted values.
        delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t").delimiter
    except (csv.Error, IndexError):
        delimiter = ","
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter)
    for row in reader:
        yield reader.line_num, {k.strip(): _unguard((v or "").strip()) for k, v in row.items() if k}


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, dict]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, [])]
    for number, values in enumerate(rows, start=2):
        if not any(value not in (None, "") for value in values):
            continue
        row = {h: _cell(v) for h, v in zip(header, values, strict=False) if h}
        code = values[header.index("municipality_code")] if "municipality_code" in header else None
        if isinstance(code, int):  # Excel drops the leading zero of 0180 in a number cell
            row["municipality_code"] = f"{code:04d}"
        yield number, row


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


# --- importing ---------------------------------------------------------------------------------


def import_register(rows: Iterable[tuple[int, dict]]) -> ImportReport:
    """Create or update organisations from rows; each row on its own, so bad rows lose nothing."""
    report = ImportReport()
    for number, row in rows:
        try:
            with transaction.atomic():
                _import_row(row, report)
        except BadRow as error:
            report.errors.append((number, str(error)))
        except ValidationError as error:
            report.errors.append((number, _messages(error)))
    return report


def import_file(path: Path) -> ImportReport:
    """Import a CSV or XLSX file from disk."""
    return import_register(read_rows(path.name, path.read_bytes()))


def _messages(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _import_row(row: dict, report: ImportReport) -> None:
    missing = [column for column in REQUIRED if column not in row]
    if missing:
        raise BadRow(_("Missing columns: %(columns)s") % {"columns": ", ".join(missing)})
    values = _values(row)
    organisation = _match(values)
    is_new = organisation is None
    organisation = organisation or Organisation(kind=Organisation.Kind.MUNICIPALITY)
    before = _snapshot(organisation)
    for name, value in values.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["group", "invoiced_by"])
    changed = before != _snapshot(organisation)
    if is_new or changed:
        organisation.save()
    route, group = _route(row, report)
    membership = services.membership_on(organisation)
    if route and not (membership and membership.route == route and membership.group == group):
        services.record_membership(organisation, route, _date(row.get("member_since")), group)
        changed = True
    target = report.created if is_new else report.updated if changed else report.unchanged
    target.append(organisation.name)


def _values(row: dict) -> dict:
    values = {
        "name": _required(row, "name"),
        "municipality_code": _required(row, "municipality_code"),
        "county": row["county"],
    }
    population, year, source = _population(row)
    if population is not None:
        values.update(population=population, population_year=year)
        if source:
            values["population_source"] = source
    if row.get("organisation_number"):
        values["organisation_number"] = format_organisation_number(row["organisation_number"])
    if "organisation_number_is_placeholder" in row:
        placeholder = row["organisation_number_is_placeholder"].lower() in TRUE_VALUES
        values["organisation_number_is_placeholder"] = placeholder
    for name in ("address_line", "street", "postcode", "city", "country_code", "invoice_reference"):
        if row.get(name):
            values[name] = row[name].strip()
    if row.get("peppol_id"):
        values["peppol_id"] = normalise_peppol_id(row["peppol_id"])
    return values


def _required(row: dict, column: str) -> str:
    if not row.get(column):
        raise BadRow(_("The column %(column)s is empty.") % {"column": column})
    return row[column]


def _population(row: dict) -> tuple[int | None, int | None, str]:
    raw, year = row.get("population", ""), row.get("population_year", "")
    source = row.get("population_source", "")
    for column, value in row.items():
        match = POPULATION_APPROX.match(column)
        if match and value and not raw:
            raw, year = value, year or match[1]
            source = source or _("Approximate figure from the imported file")
    if not raw:
        return None, None, source
    try:
        return int(raw.replace(" ", "")), int(year) if year else None, source
    except ValueError as error:
        raise BadRow(
            _("The population must be a whole number: %(value)s") % {"value": raw}
        ) from error


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise BadRow(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from error


def _match(values: dict) -> Organisation | None:
    by_code = Organisation.objects.filter(municipality_code=values["municipality_code"]).first()
    number = values.get("organisation_number")
    by_number = Organisation.objects.filter(organisation_number=number).first() if number else None
    if by_code and by_number and by_code != by_number:
        raise BadRow(
            _("The organisation number belongs to %(other)s, the code to %(this)s.")
            % {"other": by_number.name, "this": by_code.name}
        )
    match = by_code or by_number
    if match and match.kind != Organisation.Kind.MUNICIPALITY:
        raise BadRow(_("%(name)s is not a municipality.") % {"name": match.name})
    return match


def _route(row: dict, report: ImportReport) -> tuple[str | None, Organisation | None]:
    membership = row["membership"].lower()
    if not membership:
        return None, None  # no membership recorded: leave memberships as they are
    if membership not in MEMBERSHIP_VALUES:
        raise BadRow(
            _("Membership must be “direct” or “group”, not “%(value)s”.") % {"value": membership}
        )
    route = MEMBERSHIP_VALUES[membership]
    if route == Membership.Route.DIRECT:
        return route, None
    if not row["region_group"]:
        raise BadRow(_("A group membership needs region_group (e.g. VGR)."))
    return route, _region(row["region_group"], report)


def _region(name: str, report: ImportReport) -> Organisation:
    regions = Organisation.objects.filter(kind=Organisation.Kind.REGION)
    region = (
        regions.filter(abbreviation__iexact=name).first()
        or regions.filter(name__iexact=name).first()
    )
    if region is None:
        region = Organisation.objects.create(
            kind=Organisation.Kind.REGION, name=name, abbreviation=name
        )
        services.record_membership(region, Membership.Route.GROUP, None)
        report.regions_created.append(name)
    return region


def _snapshot(organisation: Organisation) -> dict:
    return {
        f.attname: getattr(organisation, f.attname)
        for f in Organisation._meta.concrete_fields
        if f.attname != "id"
    }


# --- exporting ---------------------------------------------------------------------------------


def export_rows(organisations: Iterable[Organisation]) -> Iterator[list[str]]:
    """The header and one row per municipality, in the import format."""
    yield COLUMNS
    day = services.today()
    for org in organisations:
        if org.kind != Organisation.Kind.MUNICIPALITY:
            continue
        membership = services.membership_on(org, day)
        is_group = membership and membership.route == Membership.Route.THROUGH_GROUP
        group = membership.group if is_group else None
        yield [
            org.name,
            org.municipality_code,
            org.county,
            ("group" if is_group else "direct") if membership else "",
            (group.abbreviation or group.name) if group else "",
            "" if org.population is None else str(org.population),
            "" if org.population_year is None else str(org.population_year),
            org.population_source,
            org.organisation_number,
            "yes" if org.organisation_number_is_placeholder else "",
            org.address_line,
            org.street,
            org.postcode,
            org.city,
            org.country_code,
            org.peppol_id,
            org.invoice_reference,
            membership.start_date.isoformat() if membership and membership.start_date else "",
            services.state_on(org, day) or "",
        ]


# A cell that starts like a formula is run by a spreadsheet when the export is opened: any
# municipality could then plant a formula in the association's copy (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guard(value: str) -> str:
    """CSV: make a formula-like text inert with a leading apostrophe (Excel's text marker)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _unguard(value: str) -> str:
    """Import: take back the apostrophe that `_guard` added."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def export_csv(organisations: Iterable[Organisation]) -> str:
    """The register as CSV text (UTF-8, comma-separated, header row)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows([_guard(value) for value in row] for row in export_rows(organisations))
    return buffer.getvalue()


def export_xlsx(organisations: Iterable[Organisation]) -> bytes:
    """The register as an XLSX workbook with one sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Medlemsregister"
    for row in export_rows(organisations):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            # Typed as text, so a value like "=HYPERLINK(...)" is never a formula.
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
