"""Two staff members registering the same termination at once: the organisation row lock lets
exactly one through; the other sees the first and is refused."""

import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from bibblix.members import services
from bibblix.members.lifecycle import TransitionRefused
from bibblix.members.models import ConnectionEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
D = datetime.date


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


def test_second_concurrent_notice_waits_for_the_first_and_is_refused(ale):
    first_done, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                services.register_termination(ale, D(2099, 5, 1), end_date=D(2099, 11, 1))
                first_done.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def second():
        try:
            services.register_termination(ale, D(2099, 5, 2), end_date=D(2099, 12, 1))
            outcome["second"] = "registered"
        except TransitionRefused as refused:
            outcome["second"] = refused.messages[0]
        finally:
            connections.close_all()

    a = threading.Thread(target=first)
    a.start()
    assert first_done.wait(timeout=10)
    b = threading.Thread(target=second)
    b.start()
    for _ in range(500):  # until the second is blocked on the row lock (or, without it, done)
        if _waiting_on_a_lock() or not b.is_alive():
            break
        b.join(timeout=0.01)
    release.set()
    a.join(timeout=10)
    b.join(timeout=10)
    assert outcome["second"] == "Ale har redan sagt upp anslutningen."
    assert ale.connection_events.filter(state=ConnectionEvent.State.NOTICE_GIVEN).count() == 1
