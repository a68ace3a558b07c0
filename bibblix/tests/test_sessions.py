"""The session stores (bibblix.lib.sessions) read sessions lean but behave as Django's."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from bibblix.lib.sessions import cached_db, db

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("store", [db.SessionStore, cached_db.SessionStore])
def test_a_saved_session_loads_and_an_expired_one_does_not(store):
    session = store()
    session["child"] = "a1b2"
    session.create()
    assert store(session.session_key)["child"] == "a1b2"

    Session.objects.filter(pk=session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    from django.core.cache import caches

    caches["default"].clear()  # cached_db: the cache would still answer until it expires
    expired = store(session.session_key)
    assert expired.get("child") is None
    assert expired.session_key is None  # a new key is made on save, as Django does


@pytest.mark.parametrize("store", [db.SessionStore, cached_db.SessionStore])
def test_an_unknown_or_missing_key_gives_an_empty_session(store):
    assert store("x" * 32).load() == {}
    assert store(None).load() == {}


def test_the_engine_is_the_lean_store(client, settings):
    assert settings.SESSION_ENGINE.startswith("bibblix.lib.sessions.")
