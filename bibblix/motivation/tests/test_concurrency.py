"""Badges are awarded once, also when twenty reading events of one child run in parallel: real
transactions on PostgreSQL (the unique constraint and the child's row lock are what is tested)."""

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bibblix.lending import services as lending
from bibblix.motivation import services
from bibblix.motivation.models import BadgeAward, Challenge, Participation, ReadingDay

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
PARALLEL = 20


def _all_at_once(calls):
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_twenty_parallel_finished_books_award_each_badge_once(
    patron_ale, make_book, caplog, monkeypatch
):
    books = [make_book(f"Bok {i}") for i in range(PARALLEL)]
    counted = services._reading

    def slowly(patron):
        time.sleep(0.05)  # widen the window between a book's commit and the others' counting
        return counted(patron)

    monkeypatch.setattr(services, "_reading", slowly)
    with caplog.at_level(logging.ERROR):
        _all_at_once([lambda b=b: lending.mark_finished(patron_ale, b.pk) for b in books])
    assert "reading_recorded" not in caplog.text  # no listener failed
    awards = list(BadgeAward.objects.filter(patron=patron_ale).values_list("badge", flat=True))
    assert sorted(awards) == sorted(["first-book", "books-5", "books-10"])


def test_twenty_parallel_progress_events_add_up_in_one_day(patron_ale, make_book):
    books = [make_book(f"Bok {i}", page_count=10) for i in range(PARALLEL)]
    _all_at_once([lambda b=b: lending.record_progress(patron_ale, b.pk, "x", 0.5) for b in books])
    day = ReadingDay.objects.get(patron=patron_ale)
    assert day.pages == PARALLEL * 5
    assert BadgeAward.objects.filter(patron=patron_ale).count() == 0


def test_twenty_parallel_taps_on_join_give_one_place(patron_ale):
    import datetime

    today = datetime.date.today()
    challenge = Challenge.objects.create(title="Läslov", starts_on=today, ends_on=today)
    _all_at_once([lambda: services.join(patron_ale, challenge.pk)] * PARALLEL)
    assert Participation.objects.filter(patron=patron_ale).count() == 1
