"""The status report as files: PDF (WeasyPrint, from the same template as the preview) and DOCX
(python-docx), both written from report_sections. The usage chart is drawn on the server: as SVG
for the preview and the PDF, and as a PNG drawn with Pillow for the DOCX (Word has no SVG
fallback that python-docx can write)."""

import base64
import io
from html import escape
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from .report_sections import sections

WIDTH, HEIGHT, MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 640, 260, 56, 40, 16
BAR_COLOUR = "#1f5f8b"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CSS = Path(__file__).parent / "static" / "insights" / "report.css"
PDF_CSS = Path(__file__).parent / "static" / "insights" / "report_pdf.css"


def _bars(trend: list) -> tuple[list, int]:
    values = [value or 0 for _month, value in trend]
    top = max(values, default=0) or 1
    plot_w, plot_h = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    step = plot_w / max(len(values), 1)
    bars = []
    for index, ((month, value), shown) in enumerate(zip(trend, values, strict=True)):
        height = plot_h * shown / top
        x = MARGIN_LEFT + index * step + step * 0.15
        y = MARGIN_TOP + plot_h - height
        bars.append((x, y, step * 0.7, height, month, value))
    return bars, top


def chart_svg(trend: list, title: str) -> str:
    """A bar chart of [(month "YYYY-MM", value)] as an SVG document."""
    bars, top = _bars(trend)
    base = HEIGHT - MARGIN_BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" font-family="DejaVu Sans, sans-serif">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN_LEFT}" y1="{base}" x2="{WIDTH - 8}" y2="{base}" stroke="#333"/>',
        f'<text x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + 4}" font-size="11" text-anchor="end">'
        f"{top}</text>",
        f'<text x="{MARGIN_LEFT - 6}" y="{base}" font-size="11" text-anchor="end">0</text>',
    ]
    for x, y, w, h, month, value in bars:
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BAR_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{base + 14}" font-size="10" text-anchor="middle">'
            f"{escape(month[2:])}</text>"
        )
        label = "–" if value is None else str(value)
        parts.append(
            f'<text x="{x + w / 2:.1f}" y="{max(y - 3, 10):.1f}" font-size="9" '
            f'text-anchor="middle">{label}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def chart_data_uri(trend: list, title: str) -> str:
    svg = chart_svg(trend, title).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def chart_png(trend: list) -> bytes:
    """The same bar chart as a PNG (twice the SVG's size, for print)."""
    from PIL import Image, ImageDraw, ImageFont

    scale = 2
    image = Image.new("RGB", (WIDTH * scale, HEIGHT * scale), "white")
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype(str(FONT), 10 * scale)
    except OSError:
        font = ImageFont.load_default()
    bars, top = _bars(trend)
    base = (HEIGHT - MARGIN_BOTTOM) * scale
    draw.line([(MARGIN_LEFT * scale, base), ((WIDTH - 8) * scale, base)], fill="#333", width=2)
    draw.text(
        ((MARGIN_LEFT - 6) * scale, MARGIN_TOP * scale),
        str(top),
        fill="black",
        font=font,
        anchor="rm",
    )
    draw.text(((MARGIN_LEFT - 6) * scale, base), "0", fill="black", font=font, anchor="rm")
    for x, y, w, h, month, value in bars:
        draw.rectangle([x * scale, y * scale, (x + w) * scale, (y + h) * scale], fill=BAR_COLOUR)
        centre = (x + w / 2) * scale
        draw.text((centre, base + 8 * scale), month[2:], fill="black", font=font, anchor="mt")
        label = "–" if value is None else str(value)
        draw.text((centre, (y - 3) * scale), label, fill="black", font=font, anchor="mb")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def report_context(content: dict) -> dict:
    """Template context of the report body (preview and PDF)."""
    s = sections(content)
    chart = (
        chart_data_uri(s["usage"]["trend"], s["usage"]["chart_title"])
        if s["usage"]["available"]
        else ""
    )
    return {"s": s, "chart_uri": chart, "labels": labels()}


def report_pdf(content: dict, *, draft: bool = False) -> bytes:
    """The report as a PDF, in Swedish."""
    from weasyprint import CSS as Stylesheet
    from weasyprint import HTML

    with translation.override("sv"):
        html = render_to_string(
            "insights/report_pdf.html", {**report_context(content), "draft": draft}
        )
    # Style sheets are passed to WeasyPrint, not written into the page: templates carry no
    # inline <style> (the site-wide CSP rule, checked by bibblix/tests/test_csp.py).
    stylesheets = [Stylesheet(string=CSS.read_text()), Stylesheet(filename=str(PDF_CSS))]
    return HTML(string=html).write_pdf(stylesheets=stylesheets)


def report_docx(content: dict, *, draft: bool = False) -> bytes:
    """The report as a Word document, in Swedish."""
    from docx import Document
    from docx.shared import Cm

    with translation.override("sv"):
        s = sections(content)
        words = labels()
    document = Document()
    document.add_heading(s["title"], level=0)
    if draft:
        document.add_paragraph(words["draft"])
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text, table.cell(0, 1).text = words["managed_object"], s["managed_object"]
    table.cell(1, 0).text = words["period"]
    table.cell(1, 1).text = "   ".join(
        f"{'☒' if ticked else '☐'} {label}" for label, ticked in s["quarters"]
    )
    _docx_list(document, words["coordinators"], s["coordinators"])
    _docx_text(document, words["background"], s["background"])
    _docx_list(document, s["included_heading"], s["municipalities"])
    _docx_list(document, words["arrangement"], s["arrangement"])
    _docx_list(document, words["events"], s["events"])
    if s["events_note"]:
        document.add_paragraph(s["events_note"])
    document.add_heading(words["economy"], level=1)
    economy = s["economy"]
    if not economy["has_billing"]:
        document.add_paragraph(economy["no_billing"])
    _docx_table(document, economy["headers"], economy["rows"])
    if economy["reconciliation"]:
        document.add_paragraph(economy["reconciliation"])
    if s["economy_note"]:
        document.add_paragraph(s["economy_note"])
    _docx_text(document, words["personnel"], s["personnel"])
    document.add_heading(words["usage"], level=1)
    usage = s["usage"]
    if usage["available"]:
        _docx_table(document, [words["figure"], words["value"]], usage["rows"])
        if usage["top_books"]:
            document.add_paragraph(usage["top_books_title"])
            _docx_table(document, [words["book"], words["loans"]], usage["top_books"])
        document.add_paragraph(usage["chart_title"])
        document.add_picture(io.BytesIO(chart_png(usage["trend"])), width=Cm(16))
    else:
        document.add_paragraph(usage["missing"])
    document.add_paragraph(s["status_line"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def labels() -> dict:
    """Headings shared by the preview, the PDF and the DOCX."""
    from django.utils.translation import gettext as _

    return {
        "draft": _("DRAFT: not approved"),
        "managed_object": _("Managed object"),
        "period": _("Period"),
        "coordinators": _("Responsible coordinators"),
        "background": _("Background"),
        "arrangement": _("Invoicing arrangement"),
        "events": _("Important events of the period"),
        "economy": _("Economic status"),
        "personnel": _("Personnel resources"),
        "usage": _("Usage"),
        "figure": _("Figure"),
        "value": _("Value"),
        "book": _("Book"),
        "loans": _("Loans"),
    }


def _docx_text(document, heading: str, text: str) -> None:
    document.add_heading(heading, level=1)
    for paragraph in (text or "–").split("\n\n"):
        document.add_paragraph(paragraph.strip())


def _docx_list(document, heading: str, items: list[str]) -> None:
    document.add_heading(heading, level=1)
    for item in items or ["–"]:
        document.add_paragraph(item, style="List Bullet")


def _docx_table(document, headers: list[str], rows: list) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
