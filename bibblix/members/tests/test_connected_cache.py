"""The one cache of connected municipalities: a change shows at once in the process that made
it, and in every other process as soon as it next reads the shared generation."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bibblix.lending import rules
from bibblix.members import services
from bibblix.members.models import ConnectionEvent


def test_the_answer_is_cached_and_a_change_shows_at_once(ale, boras):
    today = timezone.localdate()
    assert services.connected_municipality_ids() == {ale.pk, boras.pk}
    with CaptureQueriesContext(connection) as queries:
        assert services.is_connected(ale)
        assert rules.is_connected(ale.pk, today)
        assert list(services.connected_libraries().values_list("municipality_id", flat=True))
    assert len(queries) == 1  # the libraries only: who is connected came from the cache

    services.end_connection(ale, today)  # saves a connection event: the signal forgets

    assert services.connected_municipality_ids() == {boras.pk}
    assert not services.is_connected(ale)
    assert not rules.is_connected(ale.pk, today)
    assert ale.pk not in set(
        services.connected_libraries().values_list("municipality_id", flat=True)
    )


def test_a_deleted_event_shows_at_once(ale, boras):
    event = services.end_connection(ale, timezone.localdate())
    assert ale.pk not in services.connected_municipality_ids()
    event.delete()
    assert ale.pk in services.connected_municipality_ids()


def test_another_processs_change_shows_when_it_reads_the_generation(ale, boras, monkeypatch):
    assert ale.pk in services.connected_municipality_ids()
    # Another process ends Ale's connection: the row changes and it bumps the shared generation,
    # but this process's signal handlers never hear of it.
    ConnectionEvent.objects.bulk_create(
        [
            ConnectionEvent(
                organisation=ale,
                state=ConnectionEvent.State.ENDED,
                effective_date=timezone.localdate() - datetime.timedelta(days=1),
            )
        ]
    )
    cache.set("members:connected-generation", 424242, None)
    # Within GENERATION_SECONDS this process still answers from its memory…
    assert ale.pk in services.connected_municipality_ids()
    # … and once it reads the generation again, it asks the database.
    monkeypatch.setattr(services, "GENERATION_SECONDS", 0)
    assert ale.pk not in services.connected_municipality_ids()
