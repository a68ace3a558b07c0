"""Dashboards in the staff area (/staff/insights/dashboard/): parse, ask `dashboard`, render.
Every view goes through `dashboard.scope_for_staff`, so a municipality's staff reach nothing of
another municipality, by page, download or URL."""

import csv
import io

from django.contrib import admin
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dashboard

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FIRST_YEAR = 2020


def _year(request) -> int | None:
    """The year asked for (default this year), or None when it is not a year we have."""
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if not raw:
        return this_year
    try:
        year = int(raw)
    except ValueError:
        return None
    return year if FIRST_YEAR <= year <= this_year else None


def _bad_year() -> HttpResponse:
    return HttpResponseBadRequest(
        _("Choose a year from %(first)s to %(last)s.")
        % {"first": FIRST_YEAR, "last": timezone.localdate().year},
        content_type="text/plain; charset=utf-8",
    )


def national(request):
    from bibblix.members import services as members

    if members.is_limited_staff(request.user):
        dashboard.scope_for_staff(request.user, members.staff_municipality_id(request.user))
        return redirect(
            "insights_dashboard_municipality", members.staff_municipality_id(request.user)
        )
    return _page(request, None)


def municipality(request, municipality_id: int):
    return _page(request, municipality_id)


def _page(request, municipality_id):
    scope = dashboard.scope_for_staff(request.user, municipality_id)
    year = _year(request)
    if year is None:
        return _bad_year()
    start, end = dashboard.period_of_year(year)
    built = dashboard.build(scope, start, end) if start <= end else None
    context = {
        **admin.site.each_context(request),
        "title": _("Usage statistics: %(name)s") % {"name": scope.name},
        "scope": scope,
        "year": year,
        "years": list(range(timezone.localdate().year, FIRST_YEAR - 1, -1)),
        "start": start,
        "end": end,
        "built": built,
        "municipality_choices": _municipality_choices(scope),
    }
    return TemplateResponse(request, "insights/dashboard.html", context)


def _municipality_choices(scope) -> list:
    """For the association: every municipality, to open its dashboard."""
    from bibblix.members import services as members

    if not scope.for_association:
        return []
    return list(members.municipalities().values_list("pk", "name"))


def export(request, table: str, fmt: str, municipality_id: int | None = None):
    scope = dashboard.scope_for_staff(request.user, municipality_id)
    year = _year(request)
    if year is None:
        return _bad_year()
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Download as csv or xlsx."), content_type="text/plain; charset=utf-8"
        )
    start, end = dashboard.period_of_year(year)
    if start > end:
        return _bad_year()
    found = dashboard.table(dashboard.build(scope, start, end)["tables"], table)
    body = _csv(found, scope) if fmt == "csv" else _xlsx(found, scope, year)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"bibblix-{table}-{scope.municipality_id or 'sverige'}-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _header(found) -> list[str]:
    return ["", *found.columns]


def _csv(found, scope) -> bytes:
    # Semicolons and a byte-order mark: what Excel with Swedish settings opens as columns.
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([found.caption, scope.name])
    writer.writerow(_header(found))
    for label, values in found.rows:
        writer.writerow([label, *("" if value is None else value for value in values)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx(found, scope, year: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = found.slug[:31]
    sheet.append([f"{found.caption} – {scope.name} {year}"])
    sheet.append(_header(found))
    for label, values in found.rows:
        sheet.append([label, *values])  # a hidden figure is an empty cell
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
