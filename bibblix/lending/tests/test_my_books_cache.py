"""Mina böcker costs the same queries however many books a child has, and is kept for that child
alone until something of theirs changes (bibblix.lib.page_cache.child_page)."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bibblix.catalogue.models import BookContributor, Contributor
from bibblix.lending import services

NOW = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def queries(client, url="/my/") -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def without_tokens(page: str) -> str:
    """The page without its CSRF tokens (masked anew in every answer)."""
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", page)


def my_books(client) -> str:
    response = client.get("/my/")
    assert response.status_code == 200
    return without_tokens(response.content.decode())


def give_books(patron, make_book, start: int, count: int) -> None:
    """Loans (each book with two authors), a favourite and a finished book per step."""
    for number in range(start, start + count):
        book = make_book(f"Lånad {number}")
        for position in range(2):
            author = Contributor.objects.create(name=f"Författare {number}-{position}")
            BookContributor.objects.create(book=book, contributor=author, position=position)
        services.borrow(patron, book.pk)
        services.toggle_favourite(patron, make_book(f"Vill läsa {number}").pk)
        services.mark_finished(patron, make_book(f"Läst {number}").pk)


@time_machine.travel(NOW, tick=False)
def test_my_books_queries_do_not_grow_with_loans(child, make_book, settings):
    settings.PAGE_CACHE = False  # count the queries of building the page
    give_books(child.patron, make_book, 0, 1)
    child.get("/my/")  # shows (and marks seen) the badges just earned, once
    few, _page = queries(child)
    give_books(child.patron, make_book, 1, 4)
    child.get("/my/")
    many, page = queries(child)
    assert "Lånad 4" in page and "Vill läsa 4" in page and "Läst 4" in page
    assert many == few


@time_machine.travel(NOW, tick=False)
def test_a_second_visit_costs_no_query_but_the_session(child, make_book, settings):
    give_books(child.patron, make_book, 0, 2)
    child.get("/my/")  # shows (and marks seen) the badges just earned, once
    first, page = queries(child)
    with CaptureQueriesContext(connection) as captured:
        cached = child.get("/my/").content.decode()
    # Not even the child's own row (the session names them, page_cache.child_page); the session
    # itself where it is not in Redis (no REDIS_URL).
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in captured]
    session = [] if settings.SESSION_ENGINE.endswith("cached_db") else ['"django_session"']
    assert tables == session and first > 10
    # The same page, with this visitor's own CSRF token (no placeholder left).
    assert without_tokens(cached) == without_tokens(page) and "csrf-placeholder" not in cached


@time_machine.travel(NOW, tick=False)
def test_another_child_never_gets_the_first_childs_page(child, make_book, make_patron, ale):
    from bibblix.patrons.services import SESSION_KEY

    services.borrow(child.patron, make_book("Bara min bok").pk)
    assert "Bara min bok" in my_books(child)
    other = Client()
    session = other.session
    session[SESSION_KEY] = str(make_patron(ale).public_id)
    session.save()
    assert "Bara min bok" not in my_books(other)


@pytest.mark.parametrize(
    "change",
    ["return", "borrow", "favourite", "finished", "progress", "expired", "queue moved"],
)
def test_a_change_of_the_childs_reading_shows_at_once(change, child, make_book, make_patron, ale):
    patron = child.patron
    with time_machine.travel(NOW, tick=False):
        loan, _ = services.borrow(patron, make_book("Första boken").pk)
        popular = make_book("Populär", copies=1)
        ahead = make_patron(ale)
        services.borrow(make_patron(ale), popular.pk)
        services.place_hold(ahead, popular.pk)
        services.place_hold(patron, popular.pk)
        before = my_books(child)
        assert "Första boken" in before and "Plats 2 i kön" in before
        assert my_books(child) == before  # kept
        if change == "return":
            services.return_loan(patron, loan.pk)
            expected, gone = None, "Första boken"
        elif change == "borrow":
            services.borrow(patron, make_book("Andra boken").pk)
            expected, gone = "Andra boken", None
        elif change == "favourite":
            services.toggle_favourite(patron, make_book("Drömboken").pk)
            expected, gone = "Drömboken", None
        elif change == "finished":
            services.mark_finished(patron, make_book("Klar bok").pk)
            expected, gone = "Klar bok", None
        elif change == "progress":
            services.record_progress(patron, loan.book_id, "mitten", 0.5)
            expected, gone = "50", None
        elif change == "queue moved":
            services.cancel_hold(ahead, ahead.holds.get().pk)
            expected, gone = "Plats 1 i kön", "Plats 2 i kön"
    if change == "expired":
        with time_machine.travel(NOW + datetime.timedelta(days=40), tick=False):
            services.expire_loans()
            after = my_books(child)
        assert "Första boken" not in after.split("Vill läsa")[0]
        return
    with time_machine.travel(NOW, tick=False):
        after = my_books(child)
    assert after != before
    if expected:
        assert expected in after
    if gone:
        assert gone not in after.split("Vill läsa")[0]


def test_days_left_move_on_by_the_clock(child, make_book):
    with time_machine.travel(NOW, tick=False):
        services.borrow(child.patron, make_book("Klockboken").pk)
        assert "28 dagar kvar" in my_books(child)
    with time_machine.travel(NOW + datetime.timedelta(days=1, minutes=1), tick=False):
        assert "27 dagar kvar" in my_books(child)


def test_a_catalogue_change_shows_on_my_books(child, make_book):
    with time_machine.travel(NOW, tick=False):
        book = make_book("Gammal titel")
        services.borrow(child.patron, book.pk)
        assert "Gammal titel" in my_books(child)
        book.title = "Ny titel"
        book.save()
        assert "Ny titel" in my_books(child)


def test_a_childs_home_page_is_kept_for_them_and_shows_a_new_loan_at_once(
    child, make_book, make_patron, ale
):
    from bibblix.patrons.services import SESSION_KEY

    with time_machine.travel(NOW, tick=False):
        first = make_book("Hemmabok ett")
        services.borrow(child.patron, first.pk)
        child.get("/")
        with CaptureQueriesContext(connection) as captured:
            page = without_tokens(child.get("/").content.decode())
        assert "Hemmabok ett" in page and len(captured) <= 1  # the session (without Redis)
        services.borrow(child.patron, make_book("Hemmabok två").pk)
        assert "Hemmabok två" in without_tokens(child.get("/").content.decode())
        other = Client()
        session = other.session
        session[SESSION_KEY] = str(make_patron(ale).public_id)
        session.save()
        assert "Hemmabok ett" not in other.get("/").content.decode()


def test_a_deleted_child_is_logged_out_at_once(child, settings):
    from bibblix.patrons.services import forget

    # A child with nothing of their own: deleting them bumps no version of theirs, so only the
    # mark of a deleted child (page_cache.child_gone) stops the kept page.
    with time_machine.travel(NOW, tick=False):
        assert "Mina böcker" in my_books(child)
        with CaptureQueriesContext(connection) as captured:
            assert "Mina böcker" in my_books(child)
        session = 0 if settings.SESSION_ENGINE.endswith("cached_db") else 1
        assert len(captured) == session  # served from the session and the cache
        forget(child.patron)
        response = child.get("/my/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_child_whose_municipality_is_no_longer_connected_is_refused_at_once(
    child, make_book, ale
):
    from bibblix.members.models import ConnectionEvent

    with time_machine.travel(NOW, tick=False):
        services.borrow(child.patron, make_book("Kommunens bok").pk)
        assert "Kommunens bok" in my_books(child)
        assert "Kommunens bok" in my_books(child)  # served from the session and the cache
        # The connection ends today (a staff change, sent to every worker by the register).
        ConnectionEvent.objects.create(
            organisation=ale, state=ConnectionEvent.State.ENDED, effective_date=NOW.date()
        )
        response = child.get("/my/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert "Kommunens bok" not in child.get("/").content.decode()


def test_a_session_that_names_another_child_is_not_trusted(child, make_book, make_patron, ale):
    from bibblix.patrons.services import SESSION_CHILD_KEY

    other = make_patron(ale)
    with time_machine.travel(NOW, tick=False):
        services.borrow(other, make_book("Den andras bok").pk)
        services.borrow(child.patron, make_book("Min egen bok").pk)
        assert "Min egen bok" in my_books(child)
        # A session whose remembered child does not match its public id (an old writer of the
        # session key) is read from the database, never served the other child's page.
        session = child.session
        session[SESSION_CHILD_KEY] = [str(other.public_id), other.pk, other.municipality_id]
        session.save()
        page = my_books(child)
        assert "Min egen bok" in page and "Den andras bok" not in page


def test_the_session_names_the_child_only_while_their_municipality_is_connected(child, ale, rf):
    from bibblix.members.models import ConnectionEvent
    from bibblix.patrons.services import session_child

    with time_machine.travel(NOW, tick=False):
        child.get("/my/")  # the session learns the child's id and municipality
        request = rf.get("/my/")
        request.session = child.session
        assert session_child(request) == child.patron.pk
        ConnectionEvent.objects.create(
            organisation=ale, state=ConnectionEvent.State.ENDED, effective_date=NOW.date()
        )
        assert session_child(request) is None


def test_a_loan_shows_on_the_book_page_at_once_for_a_child_and_a_visitor(
    child, make_book, make_patron, ale
):
    """Copies left are never kept in a cached page: a visitor's cached book page shows no
    availability at all, and a logged-in child's book page (their loan state) is built for them."""
    from django.test import Client

    with time_machine.travel(NOW, tick=False):
        book = make_book("Sista exemplaret", copies=1)
        visitor = Client()
        before = visitor.get(f"/books/{book.pk}/").content.decode()
        assert "Alla exemplar är utlånade" not in child.get(f"/books/{book.pk}/").content.decode()
        services.borrow(make_patron(ale), book.pk)
        assert "Alla exemplar är utlånade" in child.get(f"/books/{book.pk}/").content.decode()
        after = visitor.get(f"/books/{book.pk}/").content.decode()
        assert "Alla exemplar är utlånade" not in after
        assert without_tokens(after) == without_tokens(before)  # the same cached page


def test_a_deletion_rolled_back_leaves_the_child_logged_in(child):
    from django.db import transaction

    from bibblix.patrons.services import forget

    with time_machine.travel(NOW, tick=False):
        assert "Mina böcker" in my_books(child)
        with pytest.raises(RuntimeError), transaction.atomic():
            forget(child.patron)
            raise RuntimeError("the deletion fails")
        # The gone mark was set at once; the child's row, read again, says they are still here.
        assert "Mina böcker" in my_books(child)
        assert "Mina böcker" in my_books(child)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("change", ["borrow", "return"])
def test_a_committed_change_shows_at_once_for_one_round_trip_to_the_cache(
    change, child, make_book, monkeypatch
):
    """In production a borrow's transaction is the outermost one: the child's version is
    deleted once, after the commit (inside a test's transaction it is deleted at once too)."""
    from django.core.cache import cache

    from bibblix.lib.page_cache import CHILD_VERSION_KEY

    patron = child.patron
    with time_machine.travel(NOW, tick=False):
        loan, _ = services.borrow(patron, make_book("Första boken").pk)
        before = my_books(child)
        deletes = []
        delete_many = cache.delete_many
        monkeypatch.setattr(
            cache, "delete_many", lambda keys: deletes.append(list(keys)) or delete_many(keys)
        )
        if change == "borrow":
            services.borrow(patron, make_book("Andra boken").pk)
        else:
            services.return_loan(patron, loan.pk)
        monkeypatch.undo()
        after = my_books(child)
    # On SQLite the loan is an ORM insert, whose model signal bumps as any saved row does.
    once = change == "return" or connection.vendor == "postgresql"
    assert deletes == [[CHILD_VERSION_KEY.format(patron.pk)]] * (1 if once else 2)
    if change == "borrow":
        assert "Andra boken" in after and "Andra boken" not in before
    else:
        assert "Första boken" not in after.split("Vill läsa")[0]
