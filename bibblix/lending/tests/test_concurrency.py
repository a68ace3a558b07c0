"""No rule is breached under concurrency: real parallel transactions on PostgreSQL (row locks
are what is being tested, so these do not run on SQLite)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from bibblix.lending import services
from bibblix.lending.models import Loan

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]
PARALLEL = 50


def _all_at_once(calls):
    """Run the calls in parallel threads, released together: their results, or rule codes."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            barrier.wait()
            return call()
        except services.LendingRefused as refusal:
            return refusal.rule
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_last_copy_goes_to_one_child_of_fifty(ale, make_patron, make_book):
    book = make_book("Sista exemplaret", copies=1)
    children = [make_patron(ale) for _ in range(PARALLEL)]
    outcomes = _all_at_once([lambda p=p: services.borrow(p, book.pk) for p in children])
    assert Loan.objects.filter(book=book).count() == 1
    assert sorted(o for o in outcomes if isinstance(o, str)) == ["no_copy"] * (PARALLEL - 1)


def test_fifty_parallel_borrows_by_one_child_never_pass_five_a_week(patron_ale, make_book):
    books = [make_book(f"Bok {i}") for i in range(PARALLEL)]
    outcomes = _all_at_once([lambda b=b: services.borrow(patron_ale, b.pk) for b in books])
    assert Loan.objects.filter(patron=patron_ale).count() == 5
    assert sum(o == "weekly_limit" for o in outcomes) == PARALLEL - 5


def test_fifty_taps_on_one_book_give_one_loan(patron_ale, make_book):
    book = make_book("Dubbeltryck", copies=3)
    outcomes = _all_at_once([lambda: services.borrow(patron_ale, book.pk)] * PARALLEL)
    assert Loan.objects.count() == 1
    assert {loan.pk for loan, _created in outcomes} == {Loan.objects.get().pk}
    assert sum(created for _loan, created in outcomes) == 1


def test_returns_racing_fifty_borrows_give_the_copies_to_the_queue(ale, make_patron, make_book):
    book = make_book("Två exemplar", copies=2)
    readers = [make_patron(ale) for _ in range(2)]
    loans = [services.borrow(p, book.pk)[0] for p in readers]
    waiting = [make_patron(ale) for _ in range(5)]
    for p in waiting:
        services.place_hold(p, book.pk)
    newcomers = [make_patron(ale) for _ in range(PARALLEL - 2)]
    calls = [
        lambda p=p, loan=loan: services.return_loan(p, loan.pk) for p, loan in zip(readers, loans)
    ]
    _all_at_once(calls + [lambda p=p: services.borrow(p, book.pk) for p in newcomers])
    borrowers = set(
        Loan.objects.filter(book=book, returned_at__isnull=True).values_list("patron", flat=True)
    )
    # Both freed copies went to the two first in the queue, none to the newcomers.
    assert borrowers == {waiting[0].pk, waiting[1].pk}
    assert services.queue_length(book.pk) == 3
