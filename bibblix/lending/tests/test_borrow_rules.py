import datetime

import pytest
import time_machine
from django.utils import timezone

from bibblix.lending import services
from bibblix.lending.models import Loan, LoanPolicy
from bibblix.members.models import ConnectionEvent
from bibblix.usage.models import UsageEvent

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def _borrow_books(patron, make_book, n, prefix="Bok"):
    return [services.borrow(patron, make_book(f"{prefix} {i}").pk)[0] for i in range(n)]


@time_machine.travel(NOW, tick=False)
def test_loan_lasts_28_days_by_default(patron_ale, book):
    loan, created = services.borrow(patron_ale, book.pk)
    assert created
    assert loan.due_at - loan.borrowed_at == datetime.timedelta(days=28)
    assert services.days_left(loan) == 28
    assert services.has_active_loan(patron_ale, book)


@time_machine.travel(NOW, tick=False)
def test_second_tap_returns_the_same_loan(patron_ale, book):
    first, _ = services.borrow(patron_ale, book.pk)
    second, created = services.borrow(patron_ale, book.pk)
    assert not created
    assert second.pk == first.pk
    assert Loan.objects.count() == 1


def test_sixth_loan_in_seven_days_is_refused(patron_ale, make_book):
    with time_machine.travel(NOW, tick=False):
        _borrow_books(patron_ale, make_book, 5)
        with pytest.raises(services.LendingRefused) as refused:
            services.borrow(patron_ale, make_book("Sjätte").pk)
    assert refused.value.rule == "weekly_limit"
    assert "9 mars" in refused.value.detail


def test_week_is_rolling_seven_days_not_the_calendar_week(patron_ale, make_book):
    # Sunday 1 March 2026: five loans. Monday is a new ISO week, but not a new rolling week.
    sunday = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(sunday, tick=False):
        _borrow_books(patron_ale, make_book, 5)
    monday = sunday + datetime.timedelta(days=1)
    with time_machine.travel(monday, tick=False), pytest.raises(services.LendingRefused):
        services.borrow(patron_ale, make_book("Måndag").pk)
    with time_machine.travel(sunday + datetime.timedelta(days=7, minutes=1), tick=False):
        loan, created = services.borrow(patron_ale, make_book("Söndag efter").pk)
    assert created


def test_returned_loans_still_count_in_the_week(patron_ale, make_book):
    with time_machine.travel(NOW, tick=False):
        for loan in _borrow_books(patron_ale, make_book, 5):
            services.return_loan(patron_ale, loan.pk)
        with pytest.raises(services.LendingRefused) as refused:
            services.borrow(patron_ale, make_book("En till").pk)
    assert refused.value.rule == "weekly_limit"


@time_machine.travel(NOW, tick=False)
def test_municipality_rules_override_the_defaults(patron_ale, ale, make_book):
    LoanPolicy.objects.create(municipality=ale, weekly_limit=10, loan_days=14, max_active_loans=2)
    loans = _borrow_books(patron_ale, make_book, 2)
    assert loans[0].due_at - loans[0].borrowed_at == datetime.timedelta(days=14)
    with pytest.raises(services.LendingRefused) as refused:
        services.borrow(patron_ale, make_book("Tredje").pk)
    assert refused.value.rule == "loans_at_once"
    services.return_loan(patron_ale, loans[0].pk)
    assert services.borrow(patron_ale, make_book("Tredje igen").pk)[1]


def test_loan_ends_by_its_date_without_any_job(patron_ale, book):
    with time_machine.travel(NOW, tick=False):
        loan, _ = services.borrow(patron_ale, book.pk)
    with time_machine.travel(NOW + datetime.timedelta(days=28, seconds=1), tick=False):
        assert not services.has_active_loan(patron_ale, book)
        loan.refresh_from_db()
        assert loan.returned_at is None  # not closed yet, but inactive by its dates
        again, created = services.borrow(patron_ale, book.pk)  # the old one is closed on the way
    assert created and again.pk != loan.pk
    loan.refresh_from_db()
    assert loan.returned_at == loan.due_at


@time_machine.travel(NOW, tick=False)
def test_book_outside_its_licence_window_cannot_be_borrowed(patron_ale, make_book):
    for book in [
        make_book("Snart", available_from=datetime.date(2026, 4, 1)),
        make_book("Slut", available_until=datetime.date(2026, 3, 1)),
        make_book("Borttagen", is_withdrawn=True),
    ]:
        with pytest.raises(services.LendingRefused) as refused:
            services.borrow(patron_ale, book.pk)
        assert refused.value.rule == "not_available"
    assert not Loan.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_unknown_book_is_not_found(patron_ale):
    with pytest.raises(services.BookNotFound):
        services.borrow(patron_ale, 999999)


@time_machine.travel(NOW, tick=False)
def test_child_of_a_municipality_that_left_cannot_borrow(patron_ale, ale, book):
    ConnectionEvent.objects.create(
        organisation=ale,
        state=ConnectionEvent.State.ENDED,
        effective_date=datetime.date(2026, 3, 1),
    )
    with pytest.raises(services.LendingRefused) as refused:
        services.borrow(patron_ale, book.pk)
    assert refused.value.rule == "not_connected"


@time_machine.travel(NOW, tick=False)
def test_unlimited_licence_lends_to_everyone_at_once(ale, make_patron, book):
    for _ in range(5):
        assert services.borrow(make_patron(ale), book.pk)[1]
    assert Loan.objects.filter(book=book).count() == 5


@time_machine.travel(NOW, tick=False)
def test_borrowing_writes_an_anonymous_usage_event(patron_ale, ale, book):
    services.borrow(patron_ale, book.pk)
    event = UsageEvent.objects.get(kind=UsageEvent.Kind.BORROWED)
    assert (event.book_id, event.municipality_id, event.kind, event.day) == (
        book.pk,
        ale.pk,
        UsageEvent.Kind.BORROWED,
        timezone.localdate(),
    )
    assert (event.library_id, event.language, event.age_band) == (
        patron_ale.library_id,
        book.language,
        "6-8",
    )
    # No patron id anywhere in the row, only the monthly reader key.
    assert event.reader_key is not None
    assert patron_ale.pk not in {event.reader_key, event.id}
    assert event.occurred_at == NOW  # to the hour (NOW is on the hour)


def test_expire_loans_task_closes_ended_loans_once(patron_ale, book):
    from bibblix.lending.tasks import expire_loans_task

    with time_machine.travel(NOW, tick=False):
        loan, _ = services.borrow(patron_ale, book.pk)
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert expire_loans_task.enqueue().return_value == [1, 0]
        assert expire_loans_task.enqueue().return_value == [0, 0]
    loan.refresh_from_db()
    assert loan.returned_at == loan.due_at
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.EXPIRED).count() == 1
