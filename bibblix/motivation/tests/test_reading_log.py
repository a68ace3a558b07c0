"""The child's own reading log, filled from the reader's progress events (lending's signal)."""

import datetime

import time_machine

from bibblix.lending import services as lending
from bibblix.motivation import services
from bibblix.motivation.models import ReadingDay

DAY = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


def test_progress_events_add_minutes_and_pages_to_the_day(patron_ale, make_book, read_book):
    book = make_book(page_count=40)
    read_book(patron_ale, book, minutes=6, at=DAY)
    row = ReadingDay.objects.get(patron=patron_ale)
    assert (row.day, row.seconds, row.pages) == (DAY.date(), 360, 40)
    with time_machine.travel(DAY, tick=False):
        log = services.reading_log(patron_ale)
    assert (log["minutes"], log["pages"], log["books_finished"]) == (6, 40, 1)
    assert log["week"][-1] == {"day": DAY.date(), "read": True, "minutes": 6}


def test_a_write_that_moves_back_adds_nothing(patron_ale, make_book, read_book):
    book = make_book()
    read_book(patron_ale, book, at=DAY)
    with time_machine.travel(DAY + datetime.timedelta(minutes=8), tick=False):
        lending.record_progress(patron_ale, book.pk, "start", 0.2)
    assert ReadingDay.objects.get(patron=patron_ale).seconds == 300


def test_days_in_a_row_count_up_to_today(patron_ale, make_book, read_book):
    for back in range(3):
        read_book(patron_ale, make_book(f"B{back}"), at=DAY - datetime.timedelta(days=back))
    read_book(patron_ale, make_book("Old"), at=DAY - datetime.timedelta(days=6))
    log = services.reading_log(patron_ale, today=DAY.date())
    assert (log["days_in_a_row"], log["best_days_in_a_row"]) == (3, 3)
    assert (
        services.reading_log(patron_ale, today=DAY.date() + datetime.timedelta(days=2))[
            "days_in_a_row"
        ]
        == 0
    )


def test_a_listener_error_never_costs_the_child_their_position(patron_ale, make_book, monkeypatch):
    book = make_book()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "_add_to_day", broken)
    row, applied = lending.record_progress(patron_ale, book.pk, "x", 0.5)
    assert applied and lending.get_progress(patron_ale, book.pk).percentage == 0.5
