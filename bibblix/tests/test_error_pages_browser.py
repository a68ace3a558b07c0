"""The error pages pass axe-core and fit a phone at 200 % text, in Swedish and English."""

import pytest

from .test_accessibility_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page, url: str, status: int) -> None:
    response = page.goto(url)
    assert response.status == status, url
    assert axe_violations(page) == [], url
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    assert (
        page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
    ), url
    assert page.get_by_role("link", name="Bibblix").first.is_visible()


def test_error_pages_are_accessible_on_a_phone(phone, live_server, settings):
    settings.ROOT_URLCONF = "bibblix.tests.test_error_pages"
    settings.DEBUG = False
    _check(phone, "/finns-inte/", 404)
    assert phone.get_by_role("heading", level=1).inner_text() == "Oj! Vi hittar inte den sidan"
    _check(phone, "/test-errors/500/", 500)
    _check(phone, "/test-errors/403/", 403)
    _check(phone, "/test-errors/400/", 400)
    phone.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    _check(phone, "/finns-inte/", 404)
    assert phone.get_by_role("heading", level=1).inner_text() == "Oops! We cannot find that page"
