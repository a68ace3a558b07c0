"""A child logs in on a phone, and sees the lockout after five wrong PINs."""

import datetime

import pytest
import time_machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_child_logs_in_on_a_phone(phone, ale, card_ale):
    phone.goto("/")
    phone.get_by_label("Sök efter din kommun").fill("al")
    phone.get_by_role("button", name="Ale", exact=True).click()
    phone.get_by_label("Lånekortsnummer").fill(card_ale[0])
    phone.get_by_label("PIN-kod").fill(card_ale[1])
    phone.get_by_role("button", name="Logga in").click()
    phone.get_by_role("button", name="Logga ut").wait_for()
    # The device remembers the municipality for next time.
    assert phone.evaluate("localStorage.getItem('bibblix.municipality')") == str(ale.pk)


def test_five_wrong_pins_show_the_lockout(phone, ale, card_ale):
    phone.goto(f"/login/?municipality={ale.pk}")
    # Wall-clock time stands still (the lockout counts in 15-minute windows): the five tries
    # fall in one window whatever the clock says. Timeouts use the monotonic clock.
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        for _ in range(5):
            phone.get_by_label("Lånekortsnummer").fill(card_ale[0])
            phone.get_by_label("PIN-kod").fill("0000")
            phone.get_by_role("button", name="Logga in").click()
            alert = phone.get_by_role("alert")
            alert.wait_for()
    assert "låst en stund" in alert.inner_text()
    assert "Fråga på biblioteket" in alert.inner_text()
    # Focus is on the message, so a screen reader reads it at once.
    assert phone.evaluate("document.activeElement.getAttribute('role')") == "alert"


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
    return result


def test_login_pages_pass_axe_and_fit_at_200_percent_text(phone, ale, card_ale):
    for url in ["/login/", f"/login/?municipality={ale.pk}", "/utan-lanekort/"]:
        phone.goto(url)
        assert axe_violations(phone) == [], url
        phone.evaluate("document.documentElement.style.fontSize = '200%'")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, url
    # The error after a refusal is also clean and fits.
    phone.goto(f"/login/?municipality={ale.pk}")
    phone.get_by_label("Lånekortsnummer").fill(card_ale[0])
    phone.get_by_label("PIN-kod").fill("0000")
    phone.get_by_role("button", name="Logga in").click()
    assert "Fel lånekortsnummer eller PIN-kod" in phone.get_by_role("alert").inner_text()
    assert axe_violations(phone) == []


def test_device_remembers_the_municipality_as_one_big_button(phone, ale, boras, card_ale):
    phone.goto("/")
    phone.get_by_role("button", name="Ale", exact=True).click()
    phone.goto("/")
    again = phone.get_by_role("button", name="Logga in med ditt lånekort från Ale")
    again.click()
    assert phone.get_by_role("heading", name="Logga in – Ale").is_visible()
