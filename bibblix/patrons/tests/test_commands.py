"""set_login_provider and check_login from the command line."""

import io

import pytest
from django.core.management import CommandError, call_command

from bibblix.patrons.models import LoginProvider

from .conftest import PIN, SC_PASSWORD, SC_USER


def run(*args, stdin: str = "") -> str:
    out = io.StringIO()
    import sys

    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        call_command(*args, stdout=out)
    finally:
        sys.stdin = saved
    return out.getvalue()


def test_set_sip2_provider_and_check_a_card(ale_library, sip2_server):
    server = sip2_server()
    run(
        "set_login_provider",
        str(ale_library.pk),
        "sip2",
        "--host=127.0.0.1",
        f"--port={server.port}",
        f"--sc-user={SC_USER}",
        f"--sc-password={SC_PASSWORD}",
        "--institution=ALE",
    )
    provider = LoginProvider.objects.get(library=ale_library)
    assert (provider.kind, provider.port, provider.institution_id) == ("sip2", server.port, "ALE")
    output = run("check_login", str(ale_library.pk), "30000001", stdin=f"{PIN}\n")
    assert "outcome: ok" in output
    assert "time:" in output and " ms" in output
    assert PIN not in output


def test_check_login_reports_a_wrong_pin_without_locking(ale_library, card_ale):
    for _ in range(6):
        output = run("check_login", str(ale_library.pk), card_ale[0], stdin="0000\n")
        assert "outcome: invalid" in output
    assert "outcome: ok" in run("check_login", str(ale_library.pk), card_ale[0], stdin="1234\n")


def test_set_local_provider(ale_library):
    run("set_login_provider", str(ale_library.pk), "local")
    assert LoginProvider.objects.get(library=ale_library).kind == "local"


def test_sip2_without_host_is_refused(ale_library):
    with pytest.raises(CommandError):
        run("set_login_provider", str(ale_library.pk), "sip2")


def test_unknown_library_is_refused(db):
    with pytest.raises(CommandError):
        run("check_login", "999", "1", stdin="1\n")
