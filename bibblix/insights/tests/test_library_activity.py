import datetime

import time_machine

from bibblix.insights import rollup, services
from bibblix.patrons import services as patrons

AT = datetime.datetime(2026, 4, 7, 8, 0, tzinfo=datetime.UTC)


def test_logins_refusals_and_timeouts_are_counted_per_library(ale_library, card_ale, monkeypatch):
    card, pin = card_ale
    with time_machine.travel(AT, tick=False):
        assert patrons.authenticate(ale_library, card, pin).ok
        assert patrons.authenticate(ale_library, card, pin).ok
        assert patrons.authenticate(ale_library, card, "0000").reason == "invalid"
        monkeypatch.setattr(patrons, "check_card", lambda *args: "unavailable")
        assert patrons.authenticate(ale_library, card, pin).reason == "unavailable"
    rollup.fill(until=AT.date())
    activity = services.library_activity(since=datetime.date(2026, 4, 1))
    assert activity == {
        ale_library.pk: {
            "logins": 2,
            "login_failures": 1,
            "timeouts": 1,
            "last_login": AT.date(),
        }
    }
    assert services.library_activity(since=datetime.date(2026, 5, 1))[ale_library.pk] == {
        "logins": 0,
        "login_failures": 0,
        "timeouts": 0,
        "last_login": AT.date(),
    }
