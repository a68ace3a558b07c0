"""The dashboards in a browser: every chart is drawn (an SVG inside the chart element) beside its
table, axe-core finds nothing, the page breaks no Content-Security-Policy rule, and a chart
downloads as PNG and SVG. Screenshots go to var/screenshots/ to be looked at."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bibblix.insights import demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
NOW = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)


def log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        AXE_TAGS,
    )


def _console_error(message, errors: list) -> None:
    """Script errors and CSP violations; the browser's own favicon request (the staff area has
    no favicon) is not the page's doing."""
    url = (message.location or {}).get("url", "")
    if message.type == "error" and not url.endswith("/favicon.ico"):
        errors.append(f"{message.text} {url}")


@pytest.fixture
def usage_year(ale, boras, time_machine):
    from bibblix.catalogue.models import Book, Theme

    time_machine.move_to(NOW, tick=True)
    theme = Theme.objects.create(slug="djur", name_sv="Djur", name_en="Animals", symbol="🐾")
    for number in range(12):
        book = Book.objects.create(
            title=f"Hunden som flög nummer {number}",
            language="sv" if number % 4 else "en",
            age_min=6 if number % 3 else 9,
            page_count=60,
        )
        if number % 2:
            book.themes.add(theme)
    demo.load(out=lambda line: None, days=320)


def _charts_are_drawn(page, count_at_least: int) -> None:
    charts = page.locator("section.chart-table .chart")
    expect(charts.first.locator("svg")).to_be_visible()
    assert charts.count() >= count_at_least
    for index in range(charts.count()):
        expect(charts.nth(index).locator("svg").first).to_be_attached()
    tables = page.locator("section.chart-table table")
    assert tables.count() == charts.count()
    expect(tables.first.locator("caption")).to_be_visible()


def test_national_dashboard_draws_charts_beside_tables(
    browser, live_server, coordinator, usage_year
):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: _console_error(message, errors))
    try:
        log_in(page, coordinator, live_server)
        page.goto("/staff/insights/dashboard/")
        expect(
            page.get_by_role("heading", name="Användningsstatistik: Hela landet")
        ).to_be_visible()
        _charts_are_drawn(page, 6)
        comparison = page.locator("section.chart-table").nth(1)
        expect(comparison.locator("tbody th", has_text="Borås")).to_be_visible()
        with page.expect_download() as png:
            page.locator("section.chart-table").first.get_by_role(
                "button", name="Diagrammet som PNG"
            ).click()
        assert png.value.suggested_filename == "bibblix-trend-2026.png"
        with page.expect_download() as svg:
            page.locator("section.chart-table").first.get_by_role(
                "button", name="Diagrammet som SVG"
            ).click()
        assert svg.value.suggested_filename == "bibblix-trend-2026.svg"
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "insights-national-desktop.png"), full_page=True)
        assert axe_violations(page) == []
        assert errors == []  # no script error and no CSP violation
    finally:
        context.close()


def test_municipality_dashboard_on_a_phone(
    phone, live_server, municipality_admin_ale, ale, usage_year
):
    errors = []
    phone.on("console", lambda message: _console_error(message, errors))
    log_in(phone, municipality_admin_ale, live_server)
    phone.goto("/staff/insights/dashboard/")
    expect(phone.get_by_role("heading", name="Användningsstatistik: Ale")).to_be_visible()
    _charts_are_drawn(phone, 6)
    expect(phone.get_by_text("Borås")).to_have_count(0)
    expect(phone.locator("section.chart-table").nth(1).locator("thead")).to_contain_text(
        "Hela landet"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "insights-ale-phone.png"), full_page=True)
    assert axe_violations(phone) == []
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, "the page scrolls sideways on a phone"
    # At 200 % text the page still does not scroll sideways (wide tables scroll in their box).
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    phone.screenshot(path=str(SHOTS / "insights-ale-phone-200.png"), full_page=False)
    width = phone.evaluate("document.documentElement.scrollWidth")
    wide = phone.evaluate(
        """() => [...document.querySelectorAll('body *')]
             .filter(e => e.getBoundingClientRect().right > 392)
             .slice(0, 5).map(e => e.tagName + '.' + e.className)"""
    )
    assert width <= 390 + 1, f"the page scrolls sideways at 200 % text: {wide}"
    assert errors == []
