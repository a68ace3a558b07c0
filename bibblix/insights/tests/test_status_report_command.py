"""`manage.py status_report QUARTER --format docx|pdf OUTFILE`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from bibblix.insights.quarters import YearQuarter
from bibblix.insights.report import approve_report, start_draft

from .report_builders import register


def test_writes_the_latest_approved_version_as_docx(db, coordinator, tmp_path):
    register()
    first = start_draft(YearQuarter(2026, 4), coordinator)
    first.background = "Första versionen."
    first.save()
    approve_report(first, coordinator)
    second = start_draft(YearQuarter(2026, 4), coordinator)
    second.background = "Ett utkast som inte är godkänt."
    second.save()
    out = io.StringIO()
    target = tmp_path / "q4.docx"
    call_command("status_report", "2026Q4", str(target), "--format", "docx", stdout=out)
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Första versionen." in text and "Ett utkast" not in text
    assert out.getvalue().strip() == f"2026Q4 v1 (godkänd) → {target}"


def test_writes_a_pdf(db, tmp_path):
    register()
    target = tmp_path / "q4.pdf"
    call_command("status_report", "2026Q4", str(target), "--format", "pdf", stdout=io.StringIO())
    assert target.read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["2026Q5", "x.pdf"], "Inte ett kvartal: 2026Q5 (skriv t.ex. 2026Q4)"),
        (["2026Q4", "x.odt", "--format", "odt"], "Okänt format: odt (använd docx eller pdf)"),
    ],
)
def test_a_bad_quarter_or_format_is_one_clear_line(db, tmp_path, arguments, message):
    with pytest.raises(CommandError) as refused:
        call_command("status_report", *arguments)
    assert str(refused.value) == message


def test_a_bad_quarter_exits_non_zero_with_one_line(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    done = subprocess.run(
        [sys.executable, "manage.py", "status_report", "2026Q7", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "CommandError: Inte ett kvartal: 2026Q7 (skriv t.ex. 2026Q4)"
    ]
