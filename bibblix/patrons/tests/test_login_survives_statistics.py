"""A statistic must never cost a child their login: when the usage log cannot be written (SQLite
busy under a burst of logins), the login still succeeds and the event is dropped with a warning."""

import pytest
from django.db import OperationalError

from bibblix.patrons.models import Patron
from bibblix.patrons.services import SESSION_KEY
from bibblix.usage.models import UsageEvent

pytestmark = pytest.mark.django_db


def test_login_succeeds_when_the_usage_log_refuses_the_write(
    client, ale, card_ale, monkeypatch, caplog
):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(UsageEvent.objects, "create", locked)
    library = ale.libraries.get()
    response = client.post(
        f"/login/?municipality={ale.pk}",
        {"library": library.pk, "card": card_ale[0], "pin": card_ale[1]},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(Patron.objects.get().public_id)
    assert "dropped" in caplog.text
