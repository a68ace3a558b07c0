"""Staff pages of the back-office follow-up: budget per quarter, the yearly reconciliation
(with XLSX), the review of connected libraries and the quarterly status report (preview,
approve, download). Mounted under /staff/insights/ by staff_urls.py, behind the admin login.

Who sees what: budget and reports are the association's; the reconciliation and the review are
limited to the user's own municipality for a municipality's staff (members.services scoping)."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibblix.members import services as members

from . import report as reports
from .budget import year_balance
from .models import StatusReport
from .quarters import parse_quarter, quarter_of
from .reconciliation import reconcile
from .report_documents import report_context, report_docx, report_pdf
from .review import review

FILE_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _context(request, title: str, **extra) -> dict:
    from django.contrib import admin

    return {**admin.site.each_context(request), "title": title, **extra}


def _require_association(request, permission: str = "insights.view_statusreport") -> None:
    if members.is_limited_staff(request.user) or not request.user.has_perm(permission):
        raise PermissionDenied


def _scope(request) -> int | None:
    """The municipality a user is limited to (None: the association sees all); refuses users
    without the follow-up's permissions."""
    if not members.is_limited_staff(request.user):
        if not request.user.has_perm("insights.view_budgetline"):
            raise PermissionDenied
        return None
    municipality_id = members.staff_municipality_id(request.user)
    if municipality_id is None or not request.user.has_module_perms("insights"):
        raise PermissionDenied
    return municipality_id


def _year(request) -> int:
    text = request.GET.get("year") or str(members.today().year)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise Http404(_("Not a year: %(year)s") % {"year": text})
    return int(text)


def budget_page(request):
    _require_association(request, "insights.view_budgetline")
    year = _year(request)
    context = _context(
        request,
        _("Budget per quarter %(year)s") % {"year": year},
        year=year,
        balances=year_balance(year),
    )
    return TemplateResponse(request, "insights/admin/budget.html", context)


def reconciliation_page(request):
    municipality_id = _scope(request)
    year = _year(request)
    result = reconcile(year, municipality_id=municipality_id)
    title = _("Reconciliation %(year)s") % {"year": year}
    return TemplateResponse(
        request,
        "insights/admin/reconciliation.html",
        _context(request, title, year=year, result=result),
    )


def reconciliation_xlsx(request):
    from openpyxl import Workbook

    municipality_id = _scope(request)
    year = _year(request)
    result = reconcile(year, municipality_id=municipality_id)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Reconciliation %(year)s") % {"year": year}
    sheet.append(RECONCILIATION_COLUMNS())
    for row in result.rows:
        sheet.append(
            [row.buyer, row.issuer, row.connected_days]
            + [getattr(row, name) / 100 for name in MONEY_COLUMNS]
            + [", ".join(row.flag_labels)]
        )
    for column in "DEFGHIJ":
        for cell in sheet[column][1:]:
            cell.number_format = '#,##0.00 "kr"'
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=FILE_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="avstamning-{year}.xlsx"'
    return response


MONEY_COLUMNS = (
    "expected_ore",
    "invoiced_ore",
    "credited_ore",
    "paid_ore",
    "owed_ore",
    "difference_ore",
    "overdue_ore",
)


def RECONCILIATION_COLUMNS() -> list[str]:  # noqa: N802 (a translated constant)
    return [
        _("Member"),
        _("Invoiced by"),
        _("Connected days"),
        _("Should be invoiced"),
        _("Invoiced"),
        _("Credited"),
        _("Paid"),
        _("Owed"),
        _("Difference"),
        _("Overdue"),
        _("Flags"),
    ]


def review_page(request):
    municipality_id = _scope(request)
    rows, has_login_data, has_billing = review(municipality_id=municipality_id)
    context = _context(
        request,
        _("Review of connected libraries"),
        rows=rows,
        has_login_data=has_login_data,
        has_billing=has_billing,
        flagged=sum(1 for row in rows if row.flags),
    )
    return TemplateResponse(request, "insights/admin/review.html", context)


# --- the quarterly status report -------------------------------------------------------------


def report_open(request):
    """The quarter typed in the status reports list (?quarter=2026Q4); this quarter without one."""
    _require_association(request)
    text = request.GET.get("quarter", "").strip() or str(quarter_of(members.today()))
    found = parse_quarter(text)
    if found is None:
        messages.error(
            request, _("Not a quarter: %(quarter)s (write e.g. 2026Q4)") % {"quarter": text}
        )
        return redirect("admin:insights_statusreport_changelist")
    return redirect("insights_staff:report_quarter", str(found))


def report_quarter(request, quarter: str):
    """GET: the quarter's current report (or a live preview without one); POST: start a draft."""
    _require_association(request)
    found = parse_quarter(quarter)
    if found is None:
        raise Http404(_("Not a quarter: %(quarter)s (write e.g. 2026Q4)") % {"quarter": quarter})
    if request.method == "POST":
        if not request.user.has_perm("insights.change_statusreport"):
            raise PermissionDenied
        draft = reports.start_draft(found, request.user)
        return redirect("admin:insights_statusreport_change", draft.pk)
    current = reports.current_report(found)
    if current:
        return redirect("insights_staff:report_preview", current.pk)
    content = reports.build_content(found)
    return _preview(request, None, content, found)


def report_preview(request, pk: int):
    _require_association(request)
    report = get_object_or_404(StatusReport, pk=pk)
    return _preview(
        request,
        report,
        reports.content_of(report),
        parse_quarter(f"{report.year}Q{report.quarter}"),
    )


def _preview(request, report, content, quarter):
    versions = reports.versions_of(quarter)
    has_draft = versions.filter(state=StatusReport.State.DRAFT).exists()
    context = _context(
        request,
        _("Status report %(quarter)s") % {"quarter": quarter},
        report=report,
        quarter=quarter,
        versions=versions,
        draft=report is None or not report.is_approved,
        can_edit=request.user.has_perm("insights.change_statusreport"),
        can_approve=request.user.has_perm("insights.approve_statusreport"),
        can_start=not has_draft and request.user.has_perm("insights.change_statusreport"),
        **report_context(content),
    )
    return TemplateResponse(request, "insights/admin/report_preview.html", context)


@require_POST
def report_approve(request, pk: int):
    _require_association(request, "insights.approve_statusreport")
    report = get_object_or_404(StatusReport, pk=pk)
    reports.approve_report(report, request.user, reason=request.POST.get("reason", "").strip())
    messages.success(request, _("%(report)s is approved and frozen.") % {"report": report})
    return redirect("insights_staff:report_preview", report.pk)


def report_download(request, pk: int, file_format: str):
    _require_association(request)
    if file_format not in {"pdf", "docx"}:
        raise Http404(_("Download as pdf or docx."))
    report = get_object_or_404(StatusReport, pk=pk)
    content = reports.content_of(report)
    write = report_pdf if file_format == "pdf" else report_docx
    response = HttpResponse(
        write(content, draft=not report.is_approved), content_type=FILE_TYPES[file_format]
    )
    name = f"statusrapport-{report.year}Q{report.quarter}-v{report.version}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
