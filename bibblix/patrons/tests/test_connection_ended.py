"""Only children of connected municipalities may log in: an ended connection ends logins."""

import datetime

from bibblix.members.models import ConnectionEvent
from bibblix.patrons.services import authenticate


def end_connection(municipality):
    ConnectionEvent.objects.create(
        organisation=municipality,
        state=ConnectionEvent.State.ENDED,
        effective_date=datetime.date(2021, 1, 1),
    )


def test_child_of_an_ended_municipality_can_no_longer_log_in(ale, ale_library, card_ale):
    assert authenticate(ale_library, *card_ale).ok
    end_connection(ale)
    assert authenticate(ale_library, *card_ale).reason == "not_connected"


def test_ended_municipality_login_page_leads_to_trying_without_a_card(client, ale, card_ale):
    end_connection(ale)
    response = client.get(f"/login/?municipality={ale.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/utan-lanekort/")


def test_session_of_an_ended_municipality_no_longer_counts(child, ale):
    assert child.get("/").context["patron"] == child.patron
    end_connection(ale)
    assert child.get("/").context["patron"] is None
