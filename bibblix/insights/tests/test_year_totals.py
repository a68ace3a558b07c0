"""Year totals per book (`YearTotal`): always the sum of the year's monthly roll-up rows, through
any sequence of roll-ups, and the top books read from them are the ones the sum gives."""

import datetime
import importlib
import random
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Sum

from bibblix.insights import figures, rollup, services
from bibblix.insights.models import NATIONAL, DailyCount, FillState, YearTotal
from bibblix.insights.suppression import hidden_beyond_small, suppress_cells
from bibblix.usage import services as usage

JAN = datetime.date(2026, 1, 1)
NOV = datetime.date(2026, 11, 30)


def _book(pk):
    return SimpleNamespace(pk=pk, language="sv", age_min=6)


def _loans(municipality_id, day, n, book_id):
    at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    row = usage.event_row(
        usage.Kind.BORROWED, when=at, municipality_id=municipality_id, book=_book(book_id)
    )
    usage.record_many([row] * n)


def _sums() -> set[tuple]:
    """The year totals as the old way sums them from the monthly rows."""
    rows = DailyCount.objects.filter(
        metric="loans", dimension="book", municipality_id=NATIONAL
    ).values_list("municipality_id", "day", "key", "value")
    sums: dict[tuple, int] = {}
    for municipality, day, key, value in rows:
        sums[(municipality, day.year, key)] = sums.get((municipality, day.year, key), 0) + value
    return {(*k, v) for k, v in sums.items() if v}


def _totals() -> set[tuple]:
    return set(
        YearTotal.objects.filter(metric="loans", dimension="book").values_list(
            "municipality_id", "year", "key", "value"
        )
    )


def test_year_totals_equal_the_sums_through_any_roll_ups(ale, boras):
    _loans(ale.pk, datetime.date(2025, 12, 30), 3, 7)
    _loans(boras.pk, datetime.date(2025, 12, 31), 2, 7)
    _loans(ale.pk, datetime.date(2026, 1, 2), 4, 10)
    rollup.fill(until=datetime.date(2025, 12, 31))
    assert _totals() == _sums()
    assert (NATIONAL, 2025, "7", 5) in _totals()

    # Late events of a counted day, new ones in January, a month later: incremental fills.
    _loans(ale.pk, datetime.date(2025, 12, 31), 6, 7)
    _loans(boras.pk, datetime.date(2026, 1, 14), 5, 10)
    rollup.fill(until=datetime.date(2026, 1, 15))
    assert _totals() == _sums()
    assert (NATIONAL, 2025, "7", 11) in _totals()
    assert (NATIONAL, 2026, "10", 9) in _totals()
    _loans(ale.pk, datetime.date(2026, 3, 3), 8, 7)
    rollup.fill(until=datetime.date(2026, 3, 31))
    assert _totals() == _sums()

    # Counting again changes nothing: one day, a range over the year's turn, the fill.
    before = _totals()
    rollup.roll_up(datetime.date(2025, 12, 31))
    rollup.roll_up(datetime.date(2026, 1, 14))
    rollup.count_range("loans", datetime.date(2025, 12, 1), datetime.date(2026, 3, 31))
    rollup.fill(until=datetime.date(2026, 3, 31))
    rollup.fill(until=datetime.date(2026, 3, 31))
    assert _totals() == before == _sums()
    assert (NATIONAL, 2026, "7", 8) in before


def test_a_roll_up_that_fails_leaves_the_totals_with_their_rows_and_resumes(ale):
    _loans(ale.pk, datetime.date(2026, 2, 3), 4, 3)
    rollup.fill(until=datetime.date(2026, 2, 28))
    before = _totals()
    _loans(ale.pk, datetime.date(2026, 3, 3), 6, 3)
    # It fails after the book rows and their totals were written, before the transaction ends.
    with (
        mock.patch.object(rollup, "month_totals", side_effect=RuntimeError("crash")),
        pytest.raises(RuntimeError),
    ):
        rollup.fill(until=datetime.date(2026, 3, 31))
    assert _totals() == before == _sums()
    assert FillState.objects.get(metric="loans").filled_through == datetime.date(2026, 2, 28)
    rollup.fill(until=datetime.date(2026, 3, 31))
    assert _totals() == _sums()
    assert (NATIONAL, 2026, "3", 10) in _totals()


def test_a_total_whose_rows_are_gone_is_deleted(ale):
    _loans(ale.pk, datetime.date(2026, 2, 3), 4, 3)
    rollup.fill(until=datetime.date(2026, 2, 28))
    assert _totals()
    # Never done to the log; the roll-up must still follow its rows exactly.
    from bibblix.usage.models import UsageEvent

    UsageEvent.objects.all().delete()
    rollup.count_range("loans", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert _totals() == _sums() == set()
    assert not YearTotal.objects.exists()


def test_the_migration_fills_the_totals_from_the_rows_already_there(ale, boras):
    _loans(ale.pk, datetime.date(2025, 6, 3), 4, 3)
    _loans(boras.pk, datetime.date(2026, 2, 3), 7, 3)
    _loans(boras.pk, datetime.date(2026, 4, 3), 2, 12)
    rollup.fill(until=datetime.date(2026, 4, 30))
    expected = _sums()
    YearTotal.objects.all().delete()  # as before the migration
    migration = importlib.import_module("bibblix.insights.migrations.0005_year_totals")
    migration.backfill(apps, SimpleNamespace(connection=connection))  # all it uses of the editor
    assert _totals() == expected
    assert (NATIONAL, 2026, "3", 7) in expected


def test_hidden_beyond_small_is_what_suppress_cells_hides():
    rng = random.Random(5)
    for _ in range(500):
        cells = {str(k): rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 20]) for k in range(rng.randint(1, 9))}
        shown = suppress_cells(cells, for_association=False)
        small = [v for v in cells.values() if 0 < v < 5]
        hidden = [k for k, v in shown.items() if v is None]
        assert len(hidden) - len(small) == min(
            hidden_beyond_small(len(small), sum(small)), sum(1 for v in cells.values() if v >= 5)
        ), cells


def _old_top(start, end, scope, for_association):
    """The top books as they were built before the year totals: every book's sum, suppressed."""
    books = services._split("loans", "book", start, end, scope, for_association)
    return services._named(books, {})[: services.TOP_BOOKS]


CASES = {
    # ties at the tenth; two small totals adding up to 4 take the smallest of 5 or more with them
    "ties": [30, 20, 20, 12, 9, 9, 9, 9, 9, 9, 9, 7, 6, 5, 5, 3, 1],
    # one small total hides the next smallest; fewer than ten shown, the hidden follow by key
    "few": [40, 8, 2],
    # two small totals adding up to 5 or more: nothing more is hidden
    "enough": [12, 5, 5, 4, 4, 30, 30],
    # the one more hidden is the smallest by key as text among equal totals ("10" before "2")
    "tied_smallest": [6, 6, 6, 1],
    "only_small": [3],
    "none": [],
    "all_large": [7, 8, 9],
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_top_books_of_a_year_are_those_of_the_sum(ale, boras, case):
    # Book ids whose order as text differs from their order as numbers (2 < 10 but "10" < "2").
    ids = [2, 10, 100, 9, 31, 3, 1000, 11, 20, 200, 5, 50, 7, 70, 700, 8, 80]
    for book_id, count in zip(ids, CASES[case], strict=False):
        # Spread over months and municipalities, so the year's total is a sum of several rows.
        _loans(ale.pk, datetime.date(2026, 2, 3), count // 2, book_id)
        _loans(boras.pk, datetime.date(2026, 5, 3), count - count // 2, book_id)
    _loans(ale.pk, datetime.date(2025, 12, 3), 50, 2)  # last year's: not in this year's list
    rollup.fill(until=NOV)
    _check_top(ale, boras)


def test_top_books_of_a_year_are_those_of_the_sum_at_random(ale, boras):
    rng = random.Random(11)
    for book_id in range(1, 60):
        for municipality in (ale, boras):
            count = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 11, 15])
            day = datetime.date(2026, rng.randint(1, 11), 5)
            _loans(municipality.pk, day, count, book_id)
    rollup.fill(until=NOV)
    _check_top(ale, boras)


def _check_top(ale, boras):
    for scope in (NATIONAL, ale.pk, boras.pk):
        kept = figures.whole_year("loans", "book", JAN, NOV, scope)
        assert kept == (2026 if scope == NATIONAL else None)  # a municipality sums its rows
        for for_association in (True, False):
            expected = _old_top(JAN, NOV, scope, for_association)
            rollup.bump_figures_version()
            assert services._top_books(JAN, NOV, scope, for_association) == expected, (
                scope,
                for_association,
            )


def test_other_periods_sum_the_months(ale):
    _loans(ale.pk, datetime.date(2026, 3, 3), 9, 4)
    _loans(ale.pk, datetime.date(2026, 6, 3), 9, 5)
    rollup.fill(until=NOV)
    march = datetime.date(2026, 3, 31)
    # Not from January; over the year's turn; a year whose later months have rows left out.
    assert figures.whole_year("loans", "book", datetime.date(2026, 2, 1), NOV, NATIONAL) is None
    assert figures.whole_year("loans", "book", datetime.date(2025, 12, 1), NOV, NATIONAL) is None
    assert figures.whole_year("loans", "book", JAN, march, NATIONAL) is None
    assert figures.whole_year("loans", "book", JAN, datetime.date(2026, 6, 1), NATIONAL) == 2026
    assert figures.whole_year("loans", "theme", JAN, NOV, NATIONAL) is None
    for start, end in ((JAN, march), (datetime.date(2025, 12, 1), NOV), (JAN, NOV)):
        top = services._top_books(start, end, NATIONAL, True)
        assert top == _old_top(start, end, NATIONAL, True)
    assert [value for _key, _name, value in services._top_books(JAN, march, 0, True)] == [9]


def test_the_year_totals_sum_up_to_the_loans_split_by_book(ale):
    _loans(ale.pk, datetime.date(2026, 3, 3), 9, 4)
    rollup.fill(until=NOV)
    total = YearTotal.objects.filter(municipality_id=NATIONAL, year=2026).aggregate(n=Sum("value"))
    assert total["n"] == figures.total("loans", JAN, NOV) == 9


def test_one_pass_per_metric_gives_the_rows_of_one_statement_per_dimension(ale, boras, make_book):
    from bibblix.catalogue.models import Theme

    from .conftest import figures as every_figure

    dragons = Theme.objects.create(slug="drakar", name_sv="Drakar", name_en="Dragons", symbol="🐉")
    book = make_book("Drakboken", language="en", age_min=9)
    book.themes.add(dragons)
    rng = random.Random(3)
    rows = []
    for _ in range(400):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 75))
        at = datetime.datetime.combine(day, datetime.time(rng.randint(0, 23)), tzinfo=datetime.UTC)
        kind = rng.choice([k for k, _label in usage.Kind.choices])
        rows.append(
            usage.event_row(
                kind,
                when=at,
                municipality_id=rng.choice([ale.pk, boras.pk]),
                library_id=rng.choice([None, 1, 2]),
                book=rng.choice([None, book, _book(rng.randint(1, 9))]),
                reader_id=rng.choice([None, *range(12)]),
                pages=rng.randint(0, 9),
                seconds=rng.randint(0, 900),
            )
        )
    usage.record_many(rows)
    # Filled in steps, so that daily and monthly ranges differ (a month counted past `last`).
    rollup.fill(until=datetime.date(2026, 2, 10))
    rollup.fill(until=datetime.date(2026, 3, 20))
    grouped = every_figure()
    with mock.patch.object(rollup, "use_grouping_sets", return_value=False):
        rollup.fill(until=datetime.date(2026, 3, 20))
        for name in rollup.METRICS:
            rollup.count_range(name, datetime.date(2026, 1, 1), datetime.date(2026, 3, 20))
        one_by_one = every_figure()
    assert grouped == one_by_one
    assert len({row[1] for row in grouped}) == 7  # '', library, book, theme, ... and month
    assert _totals() == _sums()
