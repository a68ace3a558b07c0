"""A rerun or a retention run changes no past figure (run on SQLite and PostgreSQL)."""

import datetime

import time_machine
from django.core.management import call_command

from bibblix.insights import rollup
from bibblix.insights.models import NATIONAL, DailyCount
from bibblix.lending import services as lending
from bibblix.patrons.models import Patron

from .conftest import figures

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
DAY = START.date()


def _a_busy_day(ale, make_patron, make_book):
    books = [make_book(f"Bok {i}", page_count=100) for i in range(3)]
    with time_machine.travel(START, tick=False):
        children = [make_patron(ale) for _ in range(6)]
        for child in children:
            for book in books:
                lending.borrow(child, book.pk)
    with time_machine.travel(START + datetime.timedelta(minutes=5), tick=False):
        lending.record_progress(children[0], books[0].pk, "mitt", 0.5)
    with time_machine.travel(START + datetime.timedelta(minutes=9), tick=False):
        lending.record_progress(children[0], books[0].pk, "slut", 1.0)
    return children, books


def test_a_rerun_changes_no_past_figure(ale, make_patron, make_book):
    _a_busy_day(ale, make_patron, make_book)
    rollup.fill(until=DAY)
    before = figures()
    plain = DailyCount.objects.filter(dimension="", day=DAY)
    assert plain.get(metric="loans", municipality_id=NATIONAL).value == 18
    assert plain.get(metric="active_readers", municipality_id=NATIONAL).value == 6
    assert plain.get(metric="pages", municipality_id=ale.pk).value == 100
    assert plain.get(metric="reading_minutes", municipality_id=ale.pk).value == 4
    assert plain.get(metric="books_finished", municipality_id=ale.pk).value == 1
    rollup.fill(until=DAY)
    call_command("roll_up_statistics", DAY.isoformat())
    rollup.roll_up(DAY)
    assert figures() == before


def test_retention_deleting_the_children_changes_no_past_figure(ale, make_patron, make_book):
    _children, books = _a_busy_day(ale, make_patron, make_book)
    rollup.fill(until=DAY)
    before = figures()
    later = START + datetime.timedelta(days=365 * 3 + 40)
    with time_machine.travel(later, tick=False):
        call_command("apply_retention")
        assert not Patron.objects.exists()  # the accounts and their loans are gone
        books[0].delete()  # and a book may go once no loan holds it
        call_command("roll_up_statistics", DAY.isoformat())  # count the past day again
        rollup.fill()  # and everything since
    month_end = rollup.month_end(DAY)
    past = {row for row in figures() if row[3] <= month_end}
    assert past == before
