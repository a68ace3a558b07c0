"""Fixtures for the patrons tests: a SIP2 test server on 127.0.0.1 and a library that uses it."""

import pytest
from django.core.cache import cache

from bibblix.demo.sip2_testserver import (
    BLOCKED_STATUS,
    LOST_STATUS,
    Card,
    Sip2TestServer,
)
from bibblix.patrons.providers.sip2 import provider as sip2_provider
from bibblix.patrons.services import set_login_provider

SC_USER, SC_PASSWORD = "bibblix", "sip-secret"
PIN = "4711"
CARDS = {
    "30000001": Card(PIN, patron_class="BARN", birth_date="20170301"),
    "30000002": Card(PIN, status=BLOCKED_STATUS),
    "30000003": Card(PIN, status=LOST_STATUS),
    "30000004": Card(PIN, cq=""),  # blank CQ: the system did not check the PIN
    "30000005": Card(PIN, omit_cq=True),  # no CQ at all
    "30000006": Card(PIN, patron_class="VUXEN", birth_date="19800101"),
}


@pytest.fixture(autouse=True)
def _fresh_counters_and_pools():
    """Lockout counters (cache) and SIP2 pools must not leak from one test to the next."""
    cache.clear()
    yield
    sip2_provider.close_pools()
    cache.clear()


LOOPBACK = ("127.0.0.0/8",)


@pytest.fixture(autouse=True)
def _test_server_network_allowed(settings):
    """The SIP2 test server listens on 127.0.0.1, which production refuses (SSRF guard)."""
    settings.SIP2_ALLOWED_NETWORKS = list(LOOPBACK)


@pytest.fixture
def sip2_server():
    """Start a SIP2 test server (mode "normal" unless given) and stop it after the test."""
    servers = []

    def start(mode: str = "normal") -> Sip2TestServer:
        server = Sip2TestServer(
            dict(CARDS), mode=mode, sc_user=SC_USER, sc_password=SC_PASSWORD
        ).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sip2_library(ale_library):
    """Ale's library set up for SIP2; call with a server (and options) to point it there."""

    def configure(server=None, *, port=None, **fields):
        fields.setdefault("timeout_seconds", 1.0)
        return set_login_provider(
            ale_library,
            "sip2",
            host="127.0.0.1",
            port=port or server.port,
            sc_user=SC_USER,
            sc_password=SC_PASSWORD,
            institution_id="ALE",
            **fields,
        )

    return configure
