"""The DOCX opens (python-docx reads it back) and the PDF shows the same content."""

import io
import shutil
import subprocess

import pytest
from docx import Document

from bibblix.insights.quarters import YearQuarter
from bibblix.insights.report import approve_report, build_content, start_draft
from bibblix.insights.report_documents import chart_png, chart_svg, report_docx, report_pdf

from .report_builders import register

Q4 = YearQuarter(2026, 4)
KEY_STRINGS = [
    "Statusrapport 2026 Q4",
    "Bibblix/Sambruk",
    "☒ Q4 (okt–dec)",
    "☐ Q1 (jan–mars)",
    "Dessa 4 kommuner ingår",
    "Kungälv",
    "GITS fakturerar: Borås",
    "2026-10-15 Lerum: uppsägning",
    "2026-11-01 Kungälv: ansluten (driftstart)",
    "Kim Koordinator",
    "Vi har haft ett bra kvartal.",
    "Personalresurser",
]


def _content(db_user):
    register()
    draft = start_draft(Q4, db_user)
    draft.background = "Vi har haft ett bra kvartal."
    draft.personnel = "En koordinator på halvtid."
    draft.save()
    return approve_report(draft, db_user).snapshot


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_docx_opens_and_holds_the_reports_content(db, coordinator):
    text = _docx_text(report_docx(_content(coordinator)))
    missing = [key for key in KEY_STRINGS if key not in text]
    assert missing == []
    assert "Tjörn" not in text.split("Dessa 4 kommuner ingår")[1].split("Fakturering")[0]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext (poppler-utils)")
def test_the_pdf_shows_the_same_key_content_as_the_docx(db, coordinator, tmp_path):
    content = _content(coordinator)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_pdf(content))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    missing = [key for key in KEY_STRINGS if " ".join(key.split()) not in flat]
    assert missing == []
    assert "Dessa 4 kommuner ingår" in _docx_text(report_docx(content))


def test_a_draft_document_says_it_is_a_draft(db, coordinator):
    register()
    text = _docx_text(report_docx(build_content(Q4), draft=True))
    assert "UTKAST" in text


def test_the_chart_draws_one_bar_per_month():
    trend = [["2026-01", 10], ["2026-02", 0], ["2026-03", 30]]
    svg = chart_svg(trend, "Lån per månad")
    assert svg.count("<rect") == 3 and ">30<" in svg and "<title>Lån per månad</title>" in svg
    png = chart_png(trend)
    assert png.startswith(b"\x89PNG")
