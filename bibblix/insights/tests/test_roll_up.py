import datetime

import time_machine
from django.core.management import call_command

from bibblix.insights import rollup
from bibblix.insights.models import NATIONAL, DailyCount, FillState
from bibblix.lending import services as lending

from .conftest import figures

DAY = datetime.date(2026, 3, 2)
AT = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def value(metric, municipality_id, day=DAY, dimension="", key=""):
    row = DailyCount.objects.filter(
        metric=metric, municipality_id=municipality_id, day=day, dimension=dimension, key=key
    ).first()
    return row.value if row else None


def test_loans_are_counted_per_municipality_and_nationally(ale, boras, make_patron, make_book):
    book = make_book()
    with time_machine.travel(AT, tick=False):
        for municipality in (ale, ale, boras):
            lending.borrow(make_patron(municipality), book.pk)
        call_command("roll_up_statistics")  # fills up to yesterday: nothing of today yet
    assert value("loans", ale.pk) is None
    with time_machine.travel(AT + datetime.timedelta(days=1), tick=False):
        call_command("roll_up_statistics")
    assert (value("loans", ale.pk), value("loans", boras.pk), value("loans", NATIONAL)) == (2, 1, 3)
    assert value("new_readers", NATIONAL) == 3
    assert FillState.objects.get(metric="loans").filled_through == DAY


def test_one_child_is_one_active_reader_of_the_day_and_month(ale, make_patron, make_book):
    child = make_patron(ale)
    with time_machine.travel(AT, tick=False):
        lending.borrow(child, make_book("Ett").pk)
        lending.borrow(child, make_book("Två").pk)
    with time_machine.travel(AT + datetime.timedelta(days=1), tick=False):
        lending.borrow(child, make_book("Tre").pk)
    rollup.fill(until=DAY + datetime.timedelta(days=1))
    assert value("loans", ale.pk) == 2
    assert value("active_readers", ale.pk) == 1
    assert value("active_readers_month", ale.pk, day=DAY.replace(day=1)) == 1
    assert value("loans", ale.pk, day=DAY.replace(day=1), dimension="language", key="sv") == 3


def test_fill_is_incremental_and_counts_late_events(ale, make_patron, make_book):
    child, book = make_patron(ale), make_book()
    with time_machine.travel(AT, tick=False):
        lending.borrow(child, book.pk)
    rollup.fill(until=DAY)
    before = figures()
    # An event of DAY that arrives after DAY was counted (a loan closed late, say).
    from bibblix.usage import services as usage

    usage.record(usage.Kind.BORROWED, when=AT, municipality_id=ale.pk, book=book)
    with time_machine.travel(AT + datetime.timedelta(days=2), tick=False):
        lending.borrow(make_patron(ale), make_book("Nästa").pk)
    rollup.fill(until=DAY + datetime.timedelta(days=2))
    assert value("loans", ale.pk) == 2  # the late event is in
    assert value("loans", ale.pk, day=DAY + datetime.timedelta(days=2)) == 1
    assert before - figures()  # DAY's loans changed only because the log grew
    assert FillState.objects.get(metric="loans").filled_through == DAY + datetime.timedelta(days=2)


def test_theme_book_and_age_band_split_loans(ale, make_patron, make_book):
    from bibblix.catalogue.models import Theme

    dragons = Theme.objects.create(slug="drakar", name_sv="Drakar", name_en="Dragons", symbol="🐉")
    book = make_book("Drakboken", language="en", age_min=9)
    book.themes.add(dragons)
    with time_machine.travel(AT, tick=False):
        lending.borrow(make_patron(ale), book.pk)
    rollup.fill(until=DAY)
    month = DAY.replace(day=1)
    assert value("loans", ale.pk, month, "theme", str(dragons.pk)) == 1
    assert value("loans", ale.pk, month, "book", str(book.pk)) == 1
    assert value("loans", NATIONAL, month, "age_band", "9-12") == 1
    assert value("loans", NATIONAL, month, "language", "en") == 1


def test_month_totals_and_daily_rows_give_the_same_sums(ale, make_patron, make_book):
    from bibblix.insights import figures

    book = make_book()
    for day in (DAY, DAY + datetime.timedelta(days=20), DAY + datetime.timedelta(days=40)):
        at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
        with time_machine.travel(at, tick=False):
            lending.borrow(make_patron(ale), book.pk)
    rollup.fill(until=datetime.date(2026, 4, 30))
    assert value("loans", ale.pk, day=datetime.date(2026, 3, 1), dimension="month") == 2
    whole = figures.total("loans", datetime.date(2026, 3, 1), datetime.date(2026, 4, 30), ale.pk)
    part = figures.total("loans", datetime.date(2026, 3, 2), datetime.date(2026, 4, 10), ale.pk)
    assert (whole, part) == (3, 2)
    months = figures.by_month("loans", datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    assert list(months.values()) == [2, 1]
