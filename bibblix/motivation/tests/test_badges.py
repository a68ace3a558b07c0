"""Badges are awarded on the server from reading events, once each."""

import datetime

import pytest

from bibblix.motivation import services
from bibblix.motivation.models import BadgeAward

DAY = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


def _badges(patron) -> set[str]:
    return set(BadgeAward.objects.filter(patron=patron).values_list("badge", flat=True))


def test_first_book_earns_the_first_badge(patron_ale, make_book, read_book):
    read_book(patron_ale, make_book())
    assert _badges(patron_ale) == {"first-book"}


def test_five_books_earn_five_books_once(patron_ale, make_book, read_book):
    for n in range(5):
        read_book(patron_ale, make_book(f"Bok {n}"), at=DAY + datetime.timedelta(hours=n))
    assert {"first-book", "books-5"} <= _badges(patron_ale)
    assert "books-10" not in _badges(patron_ale)
    assert services.award_badges(patron_ale) == []
    assert BadgeAward.objects.filter(patron=patron_ale, badge="books-5").count() == 1


@pytest.mark.parametrize(
    ("fields", "badge"),
    [
        ({"language": "en"}, "other-language"),
        ({"themes": ["fakta"]}, "fact-book"),
        ({"layout": "fixed"}, "picture-book"),
        ({"series": "Mysterier", "series_number": 2}, "series-book"),
        ({"has_media_overlays": True}, "read-aloud"),
    ],
)
def test_kinds_of_books_earn_their_badge(patron_ale, make_book, read_book, fields, badge):
    read_book(patron_ale, make_book("Vanlig"))
    assert badge not in _badges(patron_ale)
    read_book(patron_ale, make_book("Särskild", **fields))
    assert badge in _badges(patron_ale)


def test_seven_days_in_a_row_earn_seven_days(patron_ale, make_book, read_book):
    for n in range(6):
        read_book(patron_ale, make_book(f"B{n}"), at=DAY + datetime.timedelta(days=n))
    assert "seven-days" not in _badges(patron_ale)
    read_book(patron_ale, make_book("B6"), at=DAY + datetime.timedelta(days=6))
    assert "seven-days" in _badges(patron_ale)


def test_mark_finished_earns_a_badge_too(patron_ale, make_book):
    from bibblix.lending import services as lending

    lending.mark_finished(patron_ale, make_book().pk)
    assert _badges(patron_ale) == {"first-book"}


def test_a_celebration_is_shown_once(patron_ale, make_book, read_book):
    read_book(patron_ale, make_book())
    assert [b.slug for b in services.unseen_badges(patron_ale)] == ["first-book"]
    assert services.unseen_badges(patron_ale) == []


def test_badges_page_shows_earned_and_locked_badges_as_svg(child, make_book, read_book):
    read_book(child.patron, make_book())
    page = child.get("/badges/").content.decode()
    assert page.count('<svg class="badge-art') >= 11
    assert "badge-art-locked" in page


def test_page_turns_in_the_middle_of_a_book_award_nothing_after_the_first(
    patron_ale, make_book, monkeypatch
):
    import time_machine

    from bibblix.lending import services as lending

    calls = []
    award = services.award_badges
    monkeypatch.setattr(services, "award_badges", lambda *a: calls.append(a) or award(*a))
    book = make_book()
    for minute, share in enumerate((0.1, 0.2, 0.3, 0.4)):
        with time_machine.travel(DAY + datetime.timedelta(minutes=minute), tick=False):
            lending.record_progress(patron_ale, book.pk, "x", share)
    assert len(calls) == 1  # the day's first reading (days in a row), not every page turn
    with time_machine.travel(DAY + datetime.timedelta(minutes=5), tick=False):
        lending.record_progress(patron_ale, book.pk, "end", 1.0)
    assert len(calls) == 2 and _badges(patron_ale) == {"first-book"}
