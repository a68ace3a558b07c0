"""SIP2 passwords are encrypted at rest with FIELD_ENCRYPTION_KEYS (issue 13)."""

import importlib

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection

from bibblix.lib import encryption
from bibblix.patrons.models import LoginProvider
from bibblix.patrons.services import set_login_provider

pytestmark = pytest.mark.django_db

SIP_SECRET = "sip-Secret-9137"
TERMINAL_SECRET = "term-Secret-5521"


def stored_row(provider) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sc_password, terminal_password FROM patrons_loginprovider WHERE id = %s",
            [provider.pk],
        )
        return cursor.fetchone()


@pytest.fixture
def provider(ale_library):
    return set_login_provider(
        ale_library,
        "sip2",
        host="sip.ale.example",
        sc_user="bibblix",
        sc_password=SIP_SECRET,
        terminal_password=TERMINAL_SECRET,
    )


def test_the_database_column_holds_no_clear_text(provider):
    sc_stored, terminal_stored = stored_row(provider)
    assert SIP_SECRET not in sc_stored and TERMINAL_SECRET not in terminal_stored
    assert sc_stored.startswith(encryption.PREFIX)
    stored = LoginProvider.objects.get(pk=provider.pk)
    assert (stored.sc_password, stored.terminal_password) == (SIP_SECRET, TERMINAL_SECRET)


def test_a_key_from_the_environment_decrypts_and_another_does_not(provider, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="FIELD_ENCRYPTION_KEYS"):
        LoginProvider.objects.get(pk=provider.pk)


def test_rotation_re_encrypts_with_the_new_key_so_the_old_one_can_go(provider, settings):
    old = settings.FIELD_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    before = stored_row(provider)
    call_command("rotate_field_keys", stdout=None)
    assert stored_row(provider) != before
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert LoginProvider.objects.get(pk=provider.pk).sc_password == SIP_SECRET


def test_empty_secrets_stay_empty(ale_library):
    provider = set_login_provider(ale_library, "sip2", host="sip.ale.example")
    assert stored_row(provider) == ("", "")


def test_the_migration_encrypts_rows_stored_in_clear(provider):
    step = importlib.import_module(
        "bibblix.patrons.migrations.0003_sip2_passwords_encrypted_at_rest"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patrons_loginprovider SET sc_password = %s, terminal_password = %s",
            [SIP_SECRET, TERMINAL_SECRET],
        )
    step.encrypt_stored_passwords(django_apps, None)
    assert SIP_SECRET not in stored_row(provider)[0]
    assert TERMINAL_SECRET not in stored_row(provider)[1]
    stored = LoginProvider.objects.get(pk=provider.pk)
    assert (stored.sc_password, stored.terminal_password) == (SIP_SECRET, TERMINAL_SECRET)
