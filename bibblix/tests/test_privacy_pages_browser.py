"""The privacy pages and the accessibility statement pass axe (WCAG 2.1 AA) on a phone, also at
200 % text, and the footer reaches them (issue 13)."""

import pytest

from bibblix.tests.test_accessibility_browser import _check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_privacy_and_accessibility_pages_are_accessible_on_a_phone(phone, ale):
    for url in ["/integritet/", "/integritet/vardnadshavare/", "/tillganglighet/"]:
        _check(phone, url)


def test_the_footer_leads_to_the_accessibility_statement(phone, ale):
    phone.goto("/")
    phone.get_by_role("link", name="Tillgänglighetsredogörelse").click()
    phone.wait_for_url("**/tillganglighet/")
    assert phone.get_by_role("heading", level=1).inner_text() == "Tillgänglighetsredogörelse"
