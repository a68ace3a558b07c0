"""The SIP2 client and its pool against the test server: reuse, bounds, reconnects, deadlines."""

import threading
import time

import pytest

from bibblix.demo.sip2_testserver import dead_port
from bibblix.patrons.providers.sip2 import provider
from bibblix.patrons.providers.sip2.client import Client, ClientConfig, LoginRefused, Unavailable

from .conftest import LOOPBACK, PIN, SC_PASSWORD, SC_USER


def settings_for(server, **client_options) -> provider.ProviderSettings:
    options = {"sc_user": SC_USER, "sc_password": SC_PASSWORD, "timeout": 1.0, **client_options}
    options.setdefault("allowed_networks", LOOPBACK)
    return provider.ProviderSettings(client=ClientConfig("127.0.0.1", server.port, **options))


def test_many_logins_share_one_connection(sip2_server):
    server = sip2_server()
    settings = settings_for(server)
    outcomes = [provider.check_card("lib", settings, "30000001", PIN) for _ in range(20)]
    assert outcomes == ["ok"] * 20
    assert server.state.connections == 1
    assert server.state.received.count("93") == 1  # one SIP login for twenty children


def test_pool_never_opens_more_connections_than_its_size(sip2_server):
    server = sip2_server()
    settings = provider.ProviderSettings(client=settings_for(server).client, pool_size=2)
    results = []

    def log_in():
        results.append(provider.check_card("lib", settings, "30000001", PIN))

    threads = [threading.Thread(target=log_in) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ok"] * 12
    assert server.state.connections <= 2


def test_connection_closed_by_the_library_system_is_replaced(sip2_server):
    server = sip2_server("hang_up")  # closes the connection after every reply
    settings = settings_for(server, sc_user="")  # no SIP login, so each reply is a patron's
    assert provider.check_card("lib", settings, "30000001", PIN) == "ok"
    assert provider.check_card("lib", settings, "30000001", PIN) == "ok"
    assert server.state.connections == 2


def test_sequence_numbers_and_checksums_are_sent(sip2_server):
    server = sip2_server()
    client = Client(settings_for(server).client)
    deadline = time.monotonic() + 1
    client.connect(deadline)
    client.login(deadline)
    first = client.patron_information("30000001", PIN, deadline)
    second = client.patron_status("30000001", PIN, deadline)
    client.close()
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.checksum and second.checksum


def test_refused_sip_account_is_reported(sip2_server):
    server = sip2_server("refuse_login")
    client = Client(settings_for(server).client)
    deadline = time.monotonic() + 1
    client.connect(deadline)
    with pytest.raises(LoginRefused):
        client.login(deadline)
    client.close()


def test_slow_server_gives_up_at_the_deadline(sip2_server):
    server = sip2_server("slow")
    started = time.monotonic()
    assert provider.check_card("lib", settings_for(server, timeout=0.3), "30000001", PIN) == (
        "unavailable"
    )
    assert time.monotonic() - started < 1.0


def test_dead_server_is_unavailable_at_once():
    client = Client(ClientConfig("127.0.0.1", dead_port(), timeout=1.0, allowed_networks=LOOPBACK))
    with pytest.raises(Unavailable):
        client.connect(time.monotonic() + 1)


def test_try_connection_reports_protocol_version_and_institution(sip2_server):
    report = provider.try_connection(settings_for(sip2_server()))
    assert report.ok
    assert report.protocol_version == "2.00"
    assert report.institution_id == "TEST"


def test_try_connection_reports_a_refused_sip_account(sip2_server):
    report = provider.try_connection(settings_for(sip2_server("refuse_login")))
    assert not report.ok
    assert "refused" in report.detail


def test_changed_settings_get_a_new_pool(sip2_server):
    server = sip2_server()
    first = provider.pool_for("lib", settings_for(server))
    assert provider.pool_for("lib", settings_for(server)) is first
    assert provider.pool_for("lib", settings_for(server, timeout=0.5)) is not first


def test_resend_request_gets_the_message_again(sip2_server):
    server = sip2_server("resend_first")
    assert provider.check_card("lib", settings_for(server), "30000001", PIN) == "ok"
    assert server.state.received[:2] == ["93", "93"]


def test_reply_with_another_sequence_number_is_not_trusted(sip2_server):
    server = sip2_server("wrong_sequence")
    assert provider.check_card("lib", settings_for(server), "30000001", PIN) == "unavailable"


@pytest.mark.django_db
def test_the_pool_is_sized_per_process_by_sip2_pool_size(settings, sip2_library):
    """Each web worker has a pool of its own: SIP2_POOL_SIZE caps it below the library's own
    "connections at most", so many workers do not open workers x that many connections."""
    from bibblix.patrons.services import sip2_settings

    provider = sip2_library(port=6001, pool_size=6)
    settings.SIP2_POOL_SIZE = 2
    assert sip2_settings(provider).pool_size == 2
    settings.SIP2_POOL_SIZE = 10
    assert sip2_settings(provider).pool_size == 6  # the library's own limit still holds
