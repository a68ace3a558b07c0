import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bibblix.patrons import services
from bibblix.patrons.models import Patron
from bibblix.patrons.signals import patron_forgotten

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def test_activity_moves_the_stamp_forward_once_a_day_at_most(patron_ale):
    later = patron_ale.last_active_at + datetime.timedelta(hours=3)
    with CaptureQueriesContext(connection) as statements:
        services.record_activity(patron_ale, later)
    assert statements.captured_queries == []  # noted today already: no write on a hot path
    next_day = patron_ale.last_active_at + datetime.timedelta(days=2)
    services.record_activity(patron_ale, next_day)
    patron_ale.refresh_from_db()
    assert patron_ale.last_active_at == next_day


def test_a_stale_copy_never_moves_the_stamp_back(patron_ale):
    now = patron_ale.last_active_at + datetime.timedelta(days=10)
    services.record_activity(patron_ale, now)
    stale = Patron.objects.get(pk=patron_ale.pk)
    stale.last_active_at = now - datetime.timedelta(days=30)
    services.record_activity(stale, now - datetime.timedelta(days=5))
    patron_ale.refresh_from_db()
    assert patron_ale.last_active_at == now


def test_forgetting_tells_the_apps_which_child_went(patron_ale):
    heard = []

    def receiver(sender, patron_id, municipality_id, **kwargs):
        heard.append((patron_id, municipality_id, Patron.objects.filter(pk=patron_id).exists()))

    patron_id = patron_ale.pk
    patron_forgotten.connect(receiver)
    try:
        services.forget(patron_ale)
    finally:
        patron_forgotten.disconnect(receiver)
    # Sent while the row is still there, in the same transaction as the delete.
    assert heard == [(patron_id, patron_ale.municipality_id, True)]
    assert not Patron.objects.filter(public_id=patron_ale.public_id).exists()


def test_only_the_municipalitys_inactive_children_are_retired(ale_library, boras):
    from bibblix.members.models import Library

    boras_library = Library.objects.create(municipality=boras, name="Borås stadsbibliotek")
    with time_machine.travel(START, tick=False):
        quiet = services.patron_for_card(ale_library, "40000001")
        kept = services.patron_for_card(ale_library, "40000002")
        elsewhere = services.patron_for_card(boras_library, "40000003")
    cutoff = START + datetime.timedelta(days=1)
    keep = [Patron.objects.filter(pk=kept.pk).values("pk")]
    assert services.retire_inactive_accounts(ale_library.municipality_id, cutoff, keep) == 1
    assert services.retire_inactive_accounts(ale_library.municipality_id, cutoff, keep) == 0
    assert not Patron.objects.filter(pk=quiet.pk).exists()
    assert set(Patron.objects.values_list("pk", flat=True)) == {kept.pk, elsewhere.pk}
    assert services.municipalities_with_accounts() == sorted(
        [ale_library.municipality_id, boras.pk]
    )
