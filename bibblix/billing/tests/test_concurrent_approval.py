"""Approvals at the same time on PostgreSQL: the issuer and run row locks make the second
approval wait for the first and then find the run approved, so one gapless set of numbers comes
out; two runs of one issuer approved together share its series without a gap or a duplicate."""

import threading

import pytest
from django.db import connection, connections, transaction

from bibblix.audit.models import AuditEntry
from bibblix.billing import services
from bibblix.billing.models import Invoice, NumberSeries
from bibblix.billing.tests import builders as b

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def setup():
    b.schedule(2025)
    b.schedule(2026)
    sambruk, _gits, _vgr = b.arrangement()
    b.municipality("Ale", "1440", 20_000)
    b.municipality("Borås", "1490", 10_000)
    return sambruk


def test_two_approvals_of_one_run_at_once_give_one_gapless_set(setup, economist):
    run = services.compute_run(setup, 2025)
    first_done, release = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                services.approve_run(run, economist, "först")
                first_done.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    def second():
        try:
            outcome["second"] = services.approve_run(run, economist, "sedan").approval_comment
        finally:
            connections.close_all()

    a = threading.Thread(target=first)
    a.start()
    assert first_done.wait(timeout=10)
    c = threading.Thread(target=second)
    c.start()
    waited = False
    for _ in range(500):  # until the second approval blocks on the lock (or, without it, ends)
        if _waiting_on_a_lock():
            waited = True
            break
        if not c.is_alive():
            break
        c.join(timeout=0.01)
    release.set()
    a.join(timeout=10)
    c.join(timeout=10)
    assert waited, "the second approval did not wait for the first one's lock"
    assert outcome["second"] == "först"  # it found the run approved and changed nothing
    numbers = sorted(Invoice.objects.filter(kind="invoice").values_list("sequence", flat=True))
    assert numbers == [10001, 10002, 10003, 10004, 10005]
    assert NumberSeries.objects.get(issuer=setup, kind="invoice").last_number == 10005
    assert AuditEntry.objects.filter(action="approve").count() == 1


def test_two_runs_of_one_issuer_approved_together_share_the_series_without_gaps(setup, economist):
    runs = [services.compute_run(setup, 2025), services.compute_run(setup, 2026)]
    barrier = threading.Barrier(2)

    def approve(run):
        try:
            barrier.wait(timeout=10)
            services.approve_run(run, economist)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    numbers = sorted(Invoice.objects.values_list("sequence", flat=True))
    assert numbers == list(range(10001, 10011))  # 5 per year, none twice, none skipped
    assert len(set(Invoice.objects.values_list("ocr", flat=True))) == 10
