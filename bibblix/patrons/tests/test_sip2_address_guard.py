"""Staff cannot point a library's SIP2 login at internal addresses (SSRF, port scanning), and
"Test connection" tells them only whether it worked, and only to staff who may change it."""

import logging

import pytest

from bibblix.demo.sip2_testserver import dead_port
from bibblix.patrons.services import check_card, check_connection, set_login_provider

from .conftest import PIN

INTERNAL = [
    "127.0.0.1",
    "localhost",
    "169.254.169.254",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.0.1",
    "100.64.0.1",
    "192.0.2.10",
    "224.0.0.1",
    "240.0.0.1",
    "0.0.0.0",
    "::1",
    "fe80::1",
    "fd00::1",
    "::ffff:127.0.0.1",
    "2002:7f00:1::1",  # 6to4 around 127.0.0.1
    "64:ff9b::a01:203",  # NAT64 around 10.1.2.3
]


@pytest.fixture
def no_connects(monkeypatch):
    """Record every TCP connection the SIP2 client would open (and open none)."""
    opened = []

    def create_connection(address, *args, **kwargs):
        opened.append(address)
        raise ConnectionRefusedError

    monkeypatch.setattr("socket.create_connection", create_connection)
    return opened


@pytest.mark.parametrize("host", INTERNAL)
def test_internal_addresses_are_refused_without_connecting(
    ale_library, settings, host, no_connects
):
    settings.SIP2_ALLOWED_NETWORKS = []
    provider = set_login_provider(ale_library, "sip2", host=host, port=6001, timeout_seconds=1.0)
    assert check_connection(provider).ok is False
    assert check_card(ale_library, "30000001", PIN) == "unavailable"
    assert no_connects == []


def test_allowed_network_lets_the_test_server_in(ale_library, settings, sip2_server, sip2_library):
    settings.SIP2_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    sip2_library(sip2_server())
    assert check_card(ale_library, "30000001", PIN) == "ok"


def test_the_test_server_is_refused_when_its_network_is_not_allowed(
    ale_library, settings, sip2_server, sip2_library
):
    settings.SIP2_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    server = sip2_server()
    sip2_library(server)
    assert check_card(ale_library, "30000001", PIN) == "unavailable"
    assert server.state.connections == 0


def test_public_address_is_tried(ale_library, settings, no_connects):
    settings.SIP2_ALLOWED_NETWORKS = []
    set_login_provider(ale_library, "sip2", host="8.8.8.8", port=6001, timeout_seconds=1.0)
    check_card(ale_library, "30000001", PIN)
    assert [address[1] for address in no_connects] == [6001]


def staff_message(client, user, provider) -> str:
    client.force_login(user)
    url = f"/staff/patrons/loginprovider/{provider.pk}/test-connection/"
    response = client.post(url, follow=True)
    assert response.status_code == 200
    return " ".join(str(message) for message in response.context["messages"])


def test_staff_get_one_message_for_every_kind_of_failure(
    client, municipality_admin_ale, settings, sip2_server, sip2_library
):
    texts = set()
    settings.SIP2_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    for point in [
        lambda: sip2_library(port=dead_port()),
        lambda: sip2_library(sip2_server("garbled")),
    ]:
        texts.add(staff_message(client, municipality_admin_ale, point()))
    settings.SIP2_ALLOWED_NETWORKS = []
    texts.add(staff_message(client, municipality_admin_ale, sip2_library(sip2_server())))
    assert len(texts) == 1, texts
    (text,) = texts
    assert "anslutningen misslyckades" in text
    assert " ms" not in text  # timing would tell refused from filtered


def test_connection_failure_details_go_to_the_log(
    client, municipality_admin_ale, sip2_library, caplog
):
    with caplog.at_level(logging.WARNING, logger="bibblix.patrons"):
        staff_message(client, municipality_admin_ale, sip2_library(port=dead_port()))
    assert "cannot connect" in caplog.text


def test_view_only_librarian_cannot_test_the_connection(
    client, librarian_ale, sip2_server, sip2_library
):
    provider = sip2_library(sip2_server())
    client.force_login(librarian_ale)
    url = f"/staff/patrons/loginprovider/{provider.pk}/test-connection/"
    assert client.post(url).status_code == 403
    page = client.get(f"/staff/patrons/loginprovider/{provider.pk}/change/").content.decode()
    assert url not in page
    listing = client.get("/staff/patrons/loginprovider/").content.decode()
    assert "test_connection" not in listing
