import datetime

import pytest
import time_machine
from django.core.management import call_command

from bibblix.lending import services
from bibblix.lending.models import Hold, Loan, LoanPolicy

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def last_copy(make_book):
    return make_book("Sista exemplaret", copies=1)


@time_machine.travel(NOW, tick=False)
def test_second_child_gets_no_copy_and_can_queue(ale, make_patron, last_copy):
    first, second = make_patron(ale), make_patron(ale)
    services.borrow(first, last_copy.pk)
    with pytest.raises(services.LendingRefused) as refused:
        services.borrow(second, last_copy.pk)
    assert refused.value.rule == "no_copy"
    hold, created = services.place_hold(second, last_copy.pk)
    assert created and services.queue_position(hold) == 1
    assert services.place_hold(second, last_copy.pk) == (hold, False)


@time_machine.travel(NOW, tick=False)
def test_queue_positions_follow_the_order_holds_were_placed(ale, make_patron, last_copy):
    services.borrow(make_patron(ale), last_copy.pk)
    holds = [services.place_hold(make_patron(ale), last_copy.pk)[0] for _ in range(3)]
    assert [services.queue_position(h) for h in holds] == [1, 2, 3]
    services.cancel_hold(holds[0].patron, holds[0].pk)
    assert [services.queue_position(h) for h in holds[1:]] == [1, 2]
    assert services.queue_length(last_copy.pk) == 2


@time_machine.travel(NOW, tick=False)
def test_returned_copy_goes_to_the_first_in_the_queue(ale, make_patron, last_copy):
    reader, waiting, later = make_patron(ale), make_patron(ale), make_patron(ale)
    loan, _ = services.borrow(reader, last_copy.pk)
    hold, _ = services.place_hold(waiting, last_copy.pk)
    services.place_hold(later, last_copy.pk)
    services.return_loan(reader, loan.pk)
    hold.refresh_from_db()
    assert hold.fulfilled_at is not None
    assert hold.loan.patron == waiting
    assert services.has_active_loan(waiting, last_copy)
    assert services.queue_position(Hold.objects.get(patron=later)) == 1


def test_copy_of_an_ended_loan_goes_to_the_queue_when_expire_loans_runs(
    ale, make_patron, last_copy
):
    reader, waiting = make_patron(ale), make_patron(ale)
    with time_machine.travel(NOW, tick=False):
        services.borrow(reader, last_copy.pk)
        services.place_hold(waiting, last_copy.pk)
    with time_machine.travel(NOW + datetime.timedelta(days=29), tick=False):
        call_command("expire_loans")
        call_command("expire_loans")  # again: nothing more happens
        assert services.has_active_loan(waiting, last_copy)
    assert Loan.objects.filter(returned_at__isnull=True).count() == 1
    assert Loan.objects.get(patron=reader).returned_at == NOW + datetime.timedelta(days=28)


@time_machine.travel(NOW, tick=False)
def test_child_stopped_by_a_rule_keeps_their_place_and_the_next_child_gets_the_copy(
    ale, make_patron, make_book, last_copy
):
    LoanPolicy.objects.create(municipality=ale, max_active_loans=1)
    reader, full, next_child = make_patron(ale), make_patron(ale), make_patron(ale)
    loan, _ = services.borrow(reader, last_copy.pk)
    services.place_hold(full, last_copy.pk)
    services.place_hold(next_child, last_copy.pk)
    other_loan, _ = services.borrow(full, make_book("Annan bok").pk)
    services.return_loan(reader, loan.pk)
    assert services.has_active_loan(next_child, last_copy)
    assert not services.has_active_loan(full, last_copy)
    assert services.queue_position(services.open_hold_for(full, last_copy.pk)) == 1


@time_machine.travel(NOW, tick=False)
def test_hold_is_refused_when_a_copy_is_free_or_the_licence_is_unlimited(patron_ale, make_book):
    with pytest.raises(services.LendingRefused) as free:
        services.place_hold(patron_ale, make_book("Ledig", copies=2).pk)
    with pytest.raises(services.LendingRefused) as unlimited:
        services.place_hold(patron_ale, make_book("Alla samtidigt").pk)
    assert (free.value.rule, unlimited.value.rule) == ("hold_not_needed", "not_holdable")


@time_machine.travel(NOW, tick=False)
def test_borrowing_directly_uses_up_your_own_hold(ale, make_patron, make_book, last_copy):
    LoanPolicy.objects.create(municipality=ale, max_active_loans=1)
    reader, waiting = make_patron(ale), make_patron(ale)
    loan, _ = services.borrow(reader, last_copy.pk)
    hold, _ = services.place_hold(waiting, last_copy.pk)
    other, _ = services.borrow(waiting, make_book("Annan bok").pk)
    services.return_loan(reader, loan.pk)  # `waiting` is full: the copy stays free
    services.return_loan(waiting, other.pk)
    own, created = services.borrow(waiting, last_copy.pk)
    hold.refresh_from_db()
    assert created and hold.loan == own and services.open_hold_for(waiting, last_copy.pk) is None


def test_a_copy_kept_for_a_blocked_child_in_the_queue_lets_a_newcomer_queue(
    ale, make_patron, copy_kept_for_the_queue
):
    """The copy is free but belongs to the queue: borrowing says no_copy, so queuing must work."""
    newcomer = make_patron(ale)
    with pytest.raises(services.LendingRefused) as refused:
        services.borrow(newcomer, copy_kept_for_the_queue.pk)
    assert refused.value.rule == "no_copy"
    hold, created = services.place_hold(newcomer, copy_kept_for_the_queue.pk)
    assert created and services.queue_position(hold) == 2


def test_a_copy_freed_by_an_ended_loan_goes_to_the_queue_not_to_a_newcomer(
    ale, make_patron, last_copy
):
    first, waiting, newcomer = make_patron(ale), make_patron(ale), make_patron(ale)
    with time_machine.travel(NOW, tick=False):
        services.borrow(first, last_copy.pk)
        services.place_hold(waiting, last_copy.pk)
    # The loan has ended, but expire_loans has not run yet.
    with time_machine.travel(NOW + datetime.timedelta(days=29), tick=False):
        with pytest.raises(services.LendingRefused) as refused:
            services.borrow(newcomer, last_copy.pk)
        assert refused.value.rule == "no_copy"
        assert services.active_loan_for(waiting, last_copy.pk) is not None
        assert not Loan.objects.filter(patron=newcomer).exists()


@time_machine.travel(NOW, tick=False)
def test_my_holds_show_each_place_in_one_query(
    ale, make_patron, make_book, django_assert_num_queries
):
    me = make_patron(ale)
    books = [make_book(f"Bok {n}", copies=1) for n in range(4)]
    for number, book in enumerate(books):
        services.borrow(make_patron(ale), book.pk)
        for _ in range(number):
            services.place_hold(make_patron(ale), book.pk)
        services.place_hold(me, book.pk)
    with django_assert_num_queries(1):
        holds = services.patron_holds(me)
    assert sorted(h.position for h in holds) == [1, 2, 3, 4]
    assert all(h.position == services.queue_position(h) for h in holds)


@time_machine.travel(NOW, tick=False)
def test_a_child_may_queue_for_five_books_at_once_by_default(ale, make_patron, make_book):
    reader, waiting = make_patron(ale), make_patron(ale)
    books = [make_book(f"Populär {n}", copies=1) for n in range(6)]
    for book in books[:5]:
        services.borrow(reader, book.pk)
    for book in books[:5]:
        services.place_hold(waiting, book.pk)
    services.borrow(make_patron(ale), books[5].pk)
    with pytest.raises(services.LendingRefused) as refused:
        services.place_hold(waiting, books[5].pk)
    assert refused.value.rule == "holds_at_once"
    assert "5" in refused.value.detail
    # Leaving one queue makes room for a new one.
    services.cancel_hold(waiting, Hold.objects.filter(patron=waiting).first().pk)
    assert services.place_hold(waiting, books[5].pk)[1] is True


@time_machine.travel(NOW, tick=False)
def test_the_municipality_sets_its_own_queue_cap(ale, make_patron, make_book):
    LoanPolicy.objects.create(municipality=ale, max_holds=1)
    reader, waiting = make_patron(ale), make_patron(ale)
    first, second = make_book("Ett", copies=1), make_book("Två", copies=1)
    services.borrow(reader, first.pk)
    services.borrow(reader, second.pk)
    services.place_hold(waiting, first.pk)
    with pytest.raises(services.LendingRefused) as refused:
        services.place_hold(waiting, second.pk)
    assert refused.value.rule == "holds_at_once"
