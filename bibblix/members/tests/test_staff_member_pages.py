"""The staff screens: list with filters, a member's page, lifecycle actions, scoping."""

import datetime

import time_machine

from bibblix.members import services
from bibblix.members.models import ConnectionEvent, Contact, Membership

D = datetime.date
LIST = "/staff/members/organisation/"


def page(ale):
    return f"{LIST}{ale.pk}/member/"


def test_list_filters_by_state_today(client, coordinator, ale, boras):
    services.end_connection(boras, D(2025, 1, 1))
    client.force_login(coordinator)
    connected = client.get(LIST, {"state": "connected"}).content.decode()
    ended = client.get(LIST, {"state": "ended"}).content.decode()
    assert ">Ale</a>" in connected and ">Borås</a>" not in connected
    assert ">Borås</a>" in ended and ">Ale</a>" not in ended


def test_list_filters_by_membership_type_and_group(client, coordinator, ale, boras, region):
    services.record_membership(ale, Membership.Route.THROUGH_GROUP, D(2021, 1, 1), region)
    services.record_membership(boras, Membership.Route.DIRECT, D(2021, 1, 1))
    client.force_login(coordinator)
    direct = client.get(LIST, {"membership": "direct"}).content.decode()
    assert ">Borås</a>" in direct and ">Ale</a>" not in direct
    grouped = client.get(LIST, {"group__id__exact": region.pk}).content.decode()
    assert ">Ale</a>" in grouped and ">Borås</a>" not in grouped


@time_machine.travel("2026-03-01 10:00 +01:00", tick=False)
def test_member_page_shows_timeline_with_planned_steps(client, coordinator, ale):
    services.register_termination(ale, D(2026, 2, 1), end_date=D(2026, 9, 1), reason="Budget")
    client.force_login(coordinator)
    html = client.get(page(ale)).content.decode()
    assert "2026-09-01</strong> Avslutad" in html
    assert "planerad" in html
    assert "Fakturering är inte byggd ännu" in html
    assert "Ale bibliotek" in html
    assert "Återkalla uppsägningen" in html


def test_coordinator_registers_a_termination_through_the_page(client, coordinator, ale):
    client.force_login(coordinator)
    response = client.post(
        f"{LIST}{ale.pk}/step/register_termination/",
        {
            "register_termination-notice_date": "2026-01-15",
            "register_termination-end_date": "2026-07-01",
            "register_termination-reason": "Budgetskäl",
        },
    )
    assert response.status_code == 302
    notice = ale.connection_events.get(state=ConnectionEvent.State.NOTICE_GIVEN)
    assert notice.recorded_by == coordinator and notice.reason == "Budgetskäl"


def test_illegal_step_through_the_page_shows_the_swedish_refusal(client, coordinator, ale):
    client.force_login(coordinator)
    response = client.post(
        f"{LIST}{ale.pk}/step/register_termination/",
        {
            "register_termination-notice_date": "2019-01-01",
            "register_termination-end_date": "2019-07-01",
            "register_termination-reason": "x",
        },
    )
    assert response.status_code == 400
    assert "före det senaste steget" in response.content.decode()
    assert ale.connection_events.count() == 1


def test_a_step_not_legal_now_is_not_offered_or_accepted(client, coordinator, ale):
    client.force_login(coordinator)
    response = client.post(
        f"{LIST}{ale.pk}/step/connect/", {"connect-day": "2026-01-01", "connect-reason": "x"}
    )
    assert response.status_code == 302
    assert ale.connection_events.count() == 1


def test_librarian_of_boras_sees_nothing_of_ale(client, librarian_boras, ale, boras):
    contact = Contact.objects.create(
        organisation=ale, role=Contact.Role.LIBRARY, name="Alva Alesson", email="alva@ale.example"
    )
    client.force_login(librarian_boras)
    listing = client.get(LIST).content.decode()
    assert ">Borås</a>" in listing and ">Ale</a>" not in listing
    assert client.get(page(ale)).status_code == 404
    assert client.get(f"{LIST}{ale.pk}/change/").status_code in {302, 404}
    export = client.get(f"{LIST}export/csv/").content.decode()
    assert "Borås" in export and "Ale" not in export
    contacts = client.get("/staff/members/contact/")
    assert contacts.status_code == 200 and "Alva Alesson" not in contacts.content.decode()
    assert client.get(f"/staff/members/contact/{contact.pk}/change/").status_code in {302, 404}
    assert client.get(f"{LIST}{ale.pk}/step/register_termination/").status_code == 404


def test_librarian_sees_own_page_without_actions(client, librarian_boras, boras):
    client.force_login(librarian_boras)
    html = client.get(page(boras)).content.decode()
    assert "Borås" in html and "Registrera uppsägning" not in html
    response = client.post(
        f"{LIST}{boras.pk}/step/register_termination/",
        {
            "register_termination-notice_date": "2026-01-15",
            "register_termination-end_date": "2026-07-01",
        },
    )
    assert response.status_code == 403
    assert client.get(f"{LIST}import/").status_code == 403


def test_change_form_opens_for_coordinator_with_memberships(client, coordinator, ale):
    client.force_login(coordinator)
    html = client.get(f"{LIST}{ale.pk}/change/").content.decode()
    assert 'name="memberships-TOTAL_FORMS"' in html
    assert "Medlemssida" in html


def test_municipality_admin_edits_own_details_but_not_membership(
    client, municipality_admin_ale, ale
):
    client.force_login(municipality_admin_ale)
    html = client.get(f"{LIST}{ale.pk}/change/").content.decode()
    assert 'name="street"' in html and 'name="postcode"' in html
    assert 'name="municipality_code"' not in html
    assert "memberships-TOTAL_FORMS" not in html
