"""Small counts outside the association: the figures the service returns, not HTML."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bibblix.insights import rollup, services
from bibblix.insights.suppression import suppress_cells, suppress_table
from bibblix.usage import services as usage

JAN = datetime.date(2026, 1, 1)
YEAR_END = datetime.date(2026, 12, 31)


def test_a_count_under_five_is_hidden_and_zero_is_shown():
    cells = {"a": 0, "b": 4, "c": 5, "d": 40, "e": 38}
    shown = suppress_cells(cells, for_association=False, has_total=False)
    assert shown == {"a": 0, "b": None, "c": 5, "d": 40, "e": 38}


def test_one_hidden_cell_takes_the_next_smallest_with_it():
    # 4 hidden alone would be the total (87) minus 83: the 5 goes too.
    cells, total = suppress_table({"a": 0, "b": 4, "c": 5, "d": 40, "e": 38}, for_association=False)
    assert cells == {"a": 0, "b": None, "c": None, "d": 40, "e": 38}
    assert total == 87


def test_two_hidden_cells_that_add_up_to_under_five_take_a_third():
    cells = suppress_cells({"a": 1, "b": 2, "c": 30, "d": 50}, for_association=False)
    assert cells == {"a": None, "b": None, "c": None, "d": 50}


def test_the_hidden_cells_cannot_be_worked_out_from_the_total():
    raw = {"jan": 3, "feb": 12, "mar": 7, "apr": 1, "may": 25}
    cells, total = suppress_table(raw, for_association=False)
    hidden = [key for key, value in cells.items() if value is None]
    assert {"jan", "apr"} <= set(hidden)
    assert len(hidden) >= 2
    assert total - sum(v for v in cells.values() if v is not None) >= 5


def test_a_total_under_five_is_hidden_too():
    cells, total = suppress_table({"a": 2, "b": 1}, for_association=False)
    assert (cells, total) == ({"a": None, "b": None}, None)


def test_the_association_sees_every_figure():
    raw = {"a": 1, "b": 2, "c": 30}
    assert suppress_table(raw, for_association=True) == (raw, 33)


def _loans(municipality, day, n, *, book, language="sv"):
    at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    for _ in range(n):
        usage.record(usage.Kind.BORROWED, when=at, municipality_id=municipality.pk, book=book)


def test_usage_figures_hide_small_months_with_a_complement_for_a_municipality(
    ale, boras, make_book
):
    book = make_book()
    _loans(ale, datetime.date(2026, 1, 10), 3, book=book)
    _loans(ale, datetime.date(2026, 2, 10), 9, book=book)
    _loans(ale, datetime.date(2026, 3, 10), 30, book=book)
    _loans(boras, datetime.date(2026, 1, 10), 50, book=book)
    rollup.fill(until=YEAR_END)

    outside = services.usage_figures(JAN, YEAR_END, municipality_id=ale.pk, for_association=False)
    trend = dict(outside["trend"]["loans"])
    assert trend[datetime.date(2026, 1, 1)] is None  # 3: primary
    assert trend[datetime.date(2026, 2, 1)] is None  # 9: so that 42 − 30 cannot give the 3
    assert trend[datetime.date(2026, 3, 1)] == 30
    assert trend[datetime.date(2026, 4, 1)] == 0
    assert outside["totals"]["loans"] == 42
    assert outside["national"]["totals"]["loans"] == 92

    inside = services.usage_figures(JAN, YEAR_END, municipality_id=ale.pk, for_association=True)
    assert dict(inside["trend"]["loans"])[datetime.date(2026, 1, 1)] == 3


def test_usage_figures_hide_a_small_language_and_its_complement(ale, make_book):
    swedish, english, arabic = (
        make_book("Bok", language="sv"),
        make_book("Book", language="en"),
        make_book("Kitab", language="ar"),
    )
    day = datetime.date(2026, 5, 4)
    _loans(ale, day, 40, book=swedish)
    _loans(ale, day, 8, book=english)
    _loans(ale, day, 2, book=arabic)
    rollup.fill(until=YEAR_END)
    figures = services.usage_figures(JAN, YEAR_END, municipality_id=ale.pk, for_association=False)
    languages = {code: value for code, _name, value in figures["languages"]}
    assert languages == {"sv": 40, "en": None, "ar": None}
    books = {title: value for _id, title, value in figures["top_books"]}
    assert books == {"Bok": 40, "Book": None, "Kitab": None}


def test_active_readers_average_is_hidden_with_a_hidden_month(ale, make_patron, make_book):
    book = make_book()
    for day, children in ((datetime.date(2026, 1, 5), 2), (datetime.date(2026, 2, 5), 20)):
        at = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
        for reader in range(children):
            usage.record(
                usage.Kind.BORROWED, when=at, municipality_id=ale.pk, book=book, reader_id=reader
            )
    rollup.fill(until=datetime.date(2026, 2, 28))
    end = datetime.date(2026, 2, 28)
    outside = services.usage_figures(JAN, end, municipality_id=ale.pk, for_association=False)
    assert outside["active_readers_per_month"] is None
    assert outside["active_readers_per_1000"] is None
    inside = services.usage_figures(JAN, end, municipality_id=ale.pk, for_association=True)
    assert inside["active_readers_per_month"] == 11


def test_top_books_are_kept_until_the_next_roll_up_and_then_follow_it(ale, make_book):
    first, second = make_book("Första"), make_book("Andra")
    _loans(ale, datetime.date(2026, 5, 4), 20, book=first)
    _loans(ale, datetime.date(2026, 5, 4), 10, book=second)
    rollup.fill(until=datetime.date(2026, 5, 4))

    def top():
        figures = services.usage_figures(JAN, YEAR_END, for_association=True)
        return [(title, value) for _id, title, value in figures["top_books"]]

    assert top() == [("Första", 20), ("Andra", 10)]
    # Events without a roll-up change no figure (the dashboards read the roll-up only) ...
    _loans(ale, datetime.date(2026, 5, 5), 30, book=second)
    with CaptureQueriesContext(connection) as cached:
        assert top() == [("Första", 20), ("Andra", 10)]
    # ... and the next roll-up shows at once.
    rollup.fill(until=datetime.date(2026, 5, 5))
    with CaptureQueriesContext(connection) as built:
        assert top() == [("Andra", 40), ("Första", 20)]
    # The cached copy saved the reads of the year's largest totals per book.
    assert len(built) > len(cached)
    assert not any("insights_yeartotal" in query["sql"] for query in cached.captured_queries)
    assert any("insights_yeartotal" in query["sql"] for query in built.captured_queries)


def test_the_roll_up_task_builds_this_years_national_top_books(ale, make_book):
    from django.utils import timezone

    from bibblix.insights.tasks import roll_up_statistics_task

    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    _loans(ale, yesterday, 20, book=make_book("Första"))
    roll_up_statistics_task.call()
    start = datetime.date(yesterday.year, 1, 1)
    with CaptureQueriesContext(connection) as warm:
        top = services._top_books(start, yesterday, 0, True)
    assert [value for _key, _name, value in top] == [20]
    assert len(warm) == 0  # built by the task already
