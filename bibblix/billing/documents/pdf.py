"""The invoice and credit note as PDF, made with WeasyPrint from billing/invoice_pdf.html.

The content follows the Swedish VAT act (mervärdesskattelagen 2023:200, ch. 17 § 24): issue date,
serial number, the seller's VAT number, both parties' names and addresses, what was supplied and
for which period, the taxable amount per rate, the rate, the VAT, and the reason when no VAT is
charged; a credit note names the invoice it changes. Invoices to Swedish buyers are in Swedish.
"""

import threading
from pathlib import Path

import weasyprint
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import pgettext
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from bibblix.lib.money import format_sek

from .checks import check_document
from .data import InvoiceDocument

STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "billing" / "invoice_pdf.css"
FONT_FILES = {  # (weight) -> static path; DejaVu Sans stands in when they are not installed
    400: "vendor/fonts/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-400-normal.woff2",
    700: "vendor/fonts/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-700-normal.woff2",
}


def invoice_pdf(doc: InvoiceDocument) -> bytes:
    """The PDF of an invoice or credit note."""
    return render_invoice(doc).write_pdf()


def render_invoice(doc: InvoiceDocument) -> weasyprint.Document:
    """The laid-out pages of the PDF (for writing, or for reading its text back in tests)."""
    check_document(doc)
    font_config, stylesheets, fetcher = _styles()
    html = weasyprint.HTML(string=invoice_html(doc), url_fetcher=fetcher)
    return html.render(stylesheets=stylesheets, font_config=font_config)


_per_thread = threading.local()


def _styles() -> tuple[FontConfiguration, list[weasyprint.CSS], URLFetcher]:
    """Fonts and style sheets, parsed once per thread: parsing them took longer than laying out
    an invoice, and an export makes hundreds. FontConfiguration is not shared between threads."""
    if not hasattr(_per_thread, "styles"):
        fonts = {weight: path for weight, path in _font_paths().items() if path}
        font_config = FontConfiguration()
        faces = "".join(
            f'@font-face {{ font-family: "Invoice Sans"; font-weight: {weight}; '
            f'src: url("{Path(path).as_uri()}"); }}'
            for weight, path in fonts.items()
        )
        fetcher = _OnlyTheseFiles({Path(path).as_uri() for path in fonts.values()})
        stylesheets = [
            weasyprint.CSS(string=faces, font_config=font_config, url_fetcher=fetcher),
            weasyprint.CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher),
        ]
        _per_thread.styles = (font_config, stylesheets, fetcher)
    return _per_thread.styles


def invoice_html(doc: InvoiceDocument) -> str:
    """The HTML the PDF is made from, in Swedish."""
    with translation.override("sv"):
        return render_to_string("billing/invoice_pdf.html", _context(doc))


def _context(doc: InvoiceDocument) -> dict:
    is_credit = doc.kind == "credit_note"
    return {
        "doc": doc,
        "title": (
            pgettext("invoice document", "Credit note")
            if is_credit
            else pgettext("invoice document", "Invoice")
        ),
        "is_placeholder": doc.seller.is_placeholder or doc.buyer.is_placeholder,
        "period": _period(doc.period_start, doc.period_end),
        "lines": [
            {
                "description": line.description,
                "note": line.note,
                "period": _period(line.period_start, line.period_end),
                "quantity": line.quantity,
                "rate": _rate(line.vat_category, line.vat_rate_bp),
                "amount": format_sek(line.net_ore),
            }
            for line in doc.lines
        ],
        "vat_rows": [
            {
                "rate": _rate(vat.category, vat.rate_bp, long=True),
                "taxable": format_sek(vat.taxable_ore),
                "vat": format_sek(vat.vat_ore),
                "exemption_reason": vat.exemption_reason if vat.category == "O" else "",
            }
            for vat in doc.vat
        ],
        "net": format_sek(doc.net_ore),
        "vat_total": format_sek(doc.vat_ore),
        "total": format_sek(doc.total_ore),
    }


def _period(start, end) -> str:
    if start and end:
        return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    return f"{start or end:%Y-%m-%d}" if (start or end) else ""


def _rate(category: str, rate_bp: int, long: bool = False) -> str:
    if category == "O":
        return pgettext("invoice document", "No VAT") if long else "–"
    whole, rest = divmod(rate_bp, 100)
    return f"{whole},{rest:02d}".rstrip("0").rstrip(",") + "\u00a0%"


def _font_paths() -> dict[int, str | None]:
    return {weight: finders.find(path) for weight, path in FONT_FILES.items()}


class _OnlyTheseFiles(URLFetcher):
    """The PDF reads our own font files and nothing else: no network, no other local file,
    whatever a name or address in the register holds."""

    def __init__(self, allowed: set[str]):
        super().__init__(allowed_protocols=("file",))
        self._allowed = allowed

    def fetch(self, url, headers=None):
        if url not in self._allowed:
            raise ValueError(f"not fetched: {url}")
        return super().fetch(url, headers)
