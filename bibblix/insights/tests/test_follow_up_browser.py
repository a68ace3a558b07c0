"""What a coordinator does in a browser: the staff home says what needs attention, the quarter's
report is previewed and approved. Screenshots on a phone and at desktop size (set
SCREENSHOT_DIR to keep them)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bibblix.insights.models import StatusReport
from bibblix.insights.quarters import YearQuarter
from bibblix.insights.report import start_draft

from .report_builders import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def shoot(page, name: str, tmp_path: Path) -> None:
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def axe_violations(page, selector: str) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    return page.evaluate(
        """async ([selector, tags]) => (await axe.run(selector, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        [selector, AXE_TAGS],
    )


def scrolls_sideways(page, selector: str) -> bool:
    """Whether the page, or anything of ours in `selector`, reaches past the viewport's right
    edge (the admin's styles may hide overflow instead of scrolling, so measure the elements;
    wide tables scroll inside their own box)."""
    # A mobile browser widens its layout viewport to the content, so window.innerWidth grows
    # with the overflow: compare with the device's width instead.
    return page.evaluate(
        """([selector, width]) => [...document.querySelectorAll(selector)].some(e =>
               !e.closest('.table-scroll') && e.getBoundingClientRect().right > width + 1)""",
        [f"{selector}, {selector} *", page.viewport_size["width"]],
    )


def test_coordinator_sees_attention_then_previews_and_approves_the_report(
    phone, live_server, coordinator, tmp_path, time_machine
):
    time_machine.move_to("2026-10-05 10:00 +0200", tick=True)
    register()
    draft = start_draft(YearQuarter(2026, 4), coordinator)
    draft.background = "Bibblix ger barn 6–12 år fri tillgång till e-böcker via biblioteket."
    draft.save()
    log_in(phone, coordinator, live_server)

    phone.goto("/staff/")
    panels = phone.locator(".attention")
    expect(
        panels.get_by_role("heading", name="Driftstarter och avslut de närmaste 90 dagarna")
    ).to_be_visible()
    expect(panels.get_by_role("link", name="2026-11-01 Kungälv: ansluten")).to_be_visible()
    expect(panels.get_by_role("link", name="2026Q4: version 1 är ett utkast")).to_be_visible()
    expect(phone.get_by_role("heading", name="Alla tabeller")).to_be_visible()
    assert axe_violations(phone, ".attention") == []
    assert not scrolls_sideways(phone, ".attention")
    shoot(phone, "staff-home-phone", tmp_path)
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    assert not scrolls_sideways(phone, ".attention")
    shoot(phone, "staff-home-phone-200", tmp_path)
    phone.evaluate("document.documentElement.style.fontSize = ''")

    panels.get_by_role("link", name="2026Q4: version 1 är ett utkast").click()
    expect(phone.get_by_role("heading", name="Dessa 4 kommuner ingår")).to_be_visible()
    expect(phone.get_by_text("☒ Q4 (okt–dec)")).to_be_visible()
    assert axe_violations(phone, ".status-report") == []
    assert not scrolls_sideways(phone, ".status-report")
    shoot(phone, "report-preview-phone", tmp_path)
    # At 200 % text the report still does not scroll sideways (wide tables scroll in their box).
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    assert not scrolls_sideways(phone, ".status-report")
    shoot(phone, "report-preview-phone-200", tmp_path)
    phone.evaluate("document.documentElement.style.fontSize = ''")

    phone.get_by_label("Kommentar (frivillig)").fill("Styrelsemötet 5 oktober")
    phone.get_by_role("button", name="Godkänn och frys").click()
    expect(phone.get_by_text("är godkänd och fryst")).to_be_visible()
    expect(phone.get_by_role("link", name="Ladda ner PDF")).to_be_visible()
    assert StatusReport.objects.get(pk=draft.pk).is_approved


def test_staff_home_and_report_preview_at_desktop_size(
    browser, live_server, coordinator, tmp_path, time_machine, close_browser_context
):
    time_machine.move_to("2026-10-05 10:00 +0200", tick=True)
    register()
    draft = start_draft(YearQuarter(2026, 4), coordinator)
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **DESKTOP)
    page = context.new_page()
    try:
        log_in(page, coordinator, live_server)
        page.goto("/staff/")
        expect(page.locator("[data-panel='review']")).to_be_visible()
        shoot(page, "staff-home-desktop", tmp_path)
        page.goto(f"/staff/insights/reports/v/{draft.pk}/")
        expect(page.get_by_role("heading", name="Ekonomisk status")).to_be_visible()
        shoot(page, "report-preview-desktop", tmp_path)
    finally:
        close_browser_context(context)
