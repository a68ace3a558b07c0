"""A coordinator registers a notice of termination in the staff area; on its end date the
municipality leaves the children's chooser on the home page."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bibblix.members.models import ConnectionEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def chooser_names(page) -> list[str]:
    page.goto("/")
    return page.locator("#municipality-list button").all_inner_texts()


def test_termination_through_staff_ui_removes_municipality_on_end_date(
    tablet, live_server, coordinator, ale, boras, time_machine
):
    # Live server and test share one process, so moving the clock moves the server's "today".
    time_machine.move_to(datetime.datetime(2026, 5, 11, 10, 0, tzinfo=datetime.UTC), tick=True)
    log_in(tablet, coordinator, live_server)
    tablet.goto(f"/staff/members/organisation/{ale.pk}/member/")
    tablet.get_by_text("Registrera uppsägning", exact=True).first.click()
    form = tablet.locator("form[action$='/step/register_termination/']")
    form.get_by_label("Uppsägning mottagen").fill("2026-05-11")
    form.get_by_label("Slutdatum (första dagen utan tjänsten)").fill("2026-06-01")
    form.get_by_label("Skäl").fill("Budgetskäl")
    form.get_by_role("button", name="Registrera uppsägning").click()
    expect(tablet.get_by_text("Registrera uppsägning: sparat.")).to_be_visible()
    expect(tablet.get_by_text("Har sagt upp: anslutningen upphör 2026-06-01")).to_be_visible()
    expect(tablet.get_by_text("planerad", exact=True)).to_be_visible()
    assert ale.connection_events.filter(
        state=ConnectionEvent.State.ENDED, effective_date=datetime.date(2026, 6, 1)
    ).exists()
    assert "Ale" in chooser_names(tablet)

    time_machine.move_to(datetime.datetime(2026, 5, 31, 21, 0, tzinfo=datetime.UTC), tick=True)
    assert "Ale" in chooser_names(tablet)  # 23:00 in Stockholm: still the last connected day

    time_machine.move_to(datetime.datetime(2026, 5, 31, 22, 30, tzinfo=datetime.UTC), tick=True)
    names = chooser_names(tablet)  # 00:30 on 1 June in Stockholm: the end date
    assert "Ale" not in names and "Borås" in names
