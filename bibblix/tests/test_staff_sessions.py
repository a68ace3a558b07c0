"""Staff sessions are short (8 h) with an idle timeout (30 min); children keep theirs. The staff
login limit counts the client behind the trusted proxy, and per user (issue 13)."""

import datetime

import pytest
import time_machine

PASSWORD = "pw-for-tests-1"
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
PROXY = "10.0.0.2"


def log_in(client, user, **meta):
    return client.post(
        "/staff/login/?next=/staff/",
        {"username": user.username, "password": PASSWORD},
        **meta,
    )


def is_in(client) -> bool:
    return client.get("/staff/").status_code == 200


@pytest.fixture
def logged_in(client, coordinator):
    with time_machine.travel(START, tick=False):
        assert log_in(client, coordinator).status_code == 302
        assert is_in(client)
    return client


def test_a_staff_session_ends_after_30_idle_minutes(logged_in):
    with time_machine.travel(START + datetime.timedelta(minutes=29), tick=False):
        assert is_in(logged_in)
    with time_machine.travel(START + datetime.timedelta(minutes=60), tick=False):
        assert not is_in(logged_in)


def test_a_busy_staff_session_still_ends_after_8_hours(logged_in):
    for step in range(1, 24):  # every 20 minutes until 7 h 40
        with time_machine.travel(START + datetime.timedelta(minutes=20 * step), tick=False):
            assert is_in(logged_in)
    with time_machine.travel(START + datetime.timedelta(hours=8, minutes=5), tick=False):
        assert not is_in(logged_in)


def test_the_staff_session_cookie_expires_with_the_idle_timeout(logged_in):
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        assert 0 < logged_in.session.get_expiry_age() <= 30 * 60


def test_a_child_keeps_the_long_session(child, settings):
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=7)):
        response = child.get("/api/v1/loans")
    assert response.status_code == 200
    assert child.session.get_expiry_age() > settings.STAFF_SESSION_SECONDS


def fail(client, username, address, via_proxy=True):
    meta = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address} if via_proxy else {}
    if not via_proxy:
        meta["REMOTE_ADDR"] = address
    return client.post("/staff/login/", {"username": username, "password": "wrong"}, **meta)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.AXES_FAILURE_LIMIT = 5


def test_one_attacker_behind_the_proxy_does_not_lock_out_colleagues(
    client, behind_proxy, coordinator
):
    for number in range(6):
        fail(client, f"guess-{number}", "203.0.113.5")
    assert fail(client, "guess-9", "203.0.113.5").status_code == 429
    response = log_in(client, coordinator, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302


def test_failures_count_per_user_from_any_address(client, behind_proxy, coordinator):
    for number in range(6):
        fail(client, coordinator.username, f"198.51.100.{number + 1}")
    response = log_in(client, coordinator, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert response.status_code == 429


def test_a_forged_header_from_an_untrusted_address_counts_that_address(
    client, behind_proxy, coordinator
):
    for number in range(6):
        client.post(
            "/staff/login/",
            {"username": f"guess-{number}", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    response = client.post(
        "/staff/login/",
        {"username": "guess-x", "password": "wrong"},
        REMOTE_ADDR="203.0.113.5",
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 429
