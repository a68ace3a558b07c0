"""SIP2 over TLS: the certificate is checked unless staff turn that off on purpose."""

import shutil
import ssl
import subprocess

import pytest

from bibblix.demo.sip2_testserver import Sip2TestServer
from bibblix.patrons.providers.sip2 import provider
from bibblix.patrons.providers.sip2.client import ClientConfig

from .conftest import CARDS, LOOPBACK, PIN

pytestmark = pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command")


@pytest.fixture
def tls_server(tmp_path):
    """A SIP2 test server with a throwaway self-signed certificate for 127.0.0.1."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = Sip2TestServer(dict(CARDS), ssl_context=context).start()
    yield server
    server.stop()


def settings(server, **options) -> provider.ProviderSettings:
    return provider.ProviderSettings(
        client=ClientConfig(
            "127.0.0.1",
            server.port,
            use_tls=True,
            timeout=2.0,
            allowed_networks=LOOPBACK,
            **options,
        )
    )


def test_child_logs_in_over_tls_with_a_self_signed_certificate_allowed(tls_server):
    assert provider.check_card("tls", settings(tls_server, verify_tls=False), "30000001", PIN) == (
        "ok"
    )


def test_untrusted_certificate_is_refused_by_default(tls_server):
    assert provider.check_card("tls", settings(tls_server), "30000001", PIN) == "unavailable"
    assert tls_server.state.connections == 0
