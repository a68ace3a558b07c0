"""bibblix.lib.rows.get_row reads the same instance as the ORM, on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from bibblix.catalogue.models import Book
from bibblix.lib.rows import get_row
from bibblix.patrons.models import Patron

pytestmark = pytest.mark.django_db


def _values(instance):
    return {
        field.attname: getattr(instance, field.attname)
        for field in type(instance)._meta.concrete_fields
    }


def test_a_row_read_lean_equals_the_orm_read_field_for_field(patron_ale):
    patron_ale.preferences = {"font": "dyslexic", "size": 1.5}
    patron_ale.save()
    book = Book.objects.create(
        title="Pippi på de sju haven",
        is_easy_to_read=True,
        available_from=datetime.date(2026, 1, 1),
        subjects=["äventyr", "hav"],
        cover_renditions={"160": "covers/a.jpg"},
    )
    for model, key, value, orm in [
        (Patron, "public_id", patron_ale.public_id, Patron.objects.get(pk=patron_ale.pk)),
        (Patron, "public_id", str(patron_ale.public_id), Patron.objects.get(pk=patron_ale.pk)),
        (Book, "id", book.pk, Book.objects.get(pk=book.pk)),
    ]:
        lean = get_row(model, key, value)
        assert type(lean) is model
        assert _values(lean) == _values(orm)
        assert lean._state.adding is False and lean._state.db == "default"
    lean_book = get_row(Book, "id", book.pk)
    assert lean_book.available_from == datetime.date(2026, 1, 1)  # a date, not a string
    assert lean_book.is_easy_to_read is True
    assert lean_book.subjects == ["äventyr", "hav"]


def test_a_missing_row_is_none(patron_ale):
    assert get_row(Book, "id", 987654) is None
    assert get_row(Patron, "public_id", "00000000-0000-4000-8000-000000000000") is None


def test_only_unique_fields_can_be_keys():
    with pytest.raises(ValueError, match="not unique"):
        get_row(Book, "title", "Pippi")


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_needs_a_transaction_and_locks_on_postgresql():
    book = Book.objects.create(title="Mio, min Mio")
    with pytest.raises(TransactionManagementError):
        get_row(Book, "id", book.pk, for_update=True)
    with transaction.atomic(), CaptureQueriesContext(connection) as statements:
        assert get_row(Book, "id", book.pk, for_update=True) == book
    locking = [q["sql"] for q in statements.captured_queries if "catalogue_book" in q["sql"]]
    assert len(locking) == 1
    assert locking[0].endswith("FOR UPDATE") == connection.features.has_select_for_update


def test_the_lean_read_is_one_statement_without_joins(patron_ale):
    with CaptureQueriesContext(connection) as statements:
        get_row(Patron, "public_id", patron_ale.public_id)
    (sql,) = [q["sql"] for q in statements.captured_queries]
    assert " JOIN " not in sql.upper() and "patrons_patron" in sql


def test_only_reads_the_named_fields_and_defers_the_rest():
    book = Book.objects.create(title="Ronja rövardotter", description="Åskvädersnatten", age_min=9)
    with CaptureQueriesContext(connection) as statements:
        lean = get_row(Book, "id", book.pk, only=("title", "age_min"))
    (sql,) = [q["sql"] for q in statements.captured_queries]
    assert "description" not in sql and "search_text" not in sql
    assert (lean.pk, lean.title, lean.age_min) == (book.pk, "Ronja rövardotter", 9)
    assert "description" in lean.get_deferred_fields()
    assert lean.description == "Åskvädersnatten"  # read when asked for, as with only()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_then_lock_locks_the_book_before_waiting_for_the_child_in_one_statement(patron_ale):
    """The order is what keeps borrow and the queue (book, then children) free of deadlocks:
    while another transaction holds the child, the book must already be ours."""
    import threading

    import psycopg
    from django.db import connections

    book = Book.objects.create(title="Bröderna Lejonhjärta")
    settings = connection.settings_dict
    url = (
        f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    )
    holder = psycopg.connect(url)
    holder.execute("SELECT 1 FROM patrons_patron WHERE id = %s FOR UPDATE", [patron_ale.pk])
    statements = []

    def lock_both():
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                get_row(Book, "id", book.pk, for_update=True, then_lock=patron_ale)
            statements.extend(captured.captured_queries)
        finally:
            connections.close_all()

    worker = threading.Thread(target=lock_both)
    worker.start()
    try:
        prober = psycopg.connect(url)
        for _attempt in range(100):  # until the worker waits for the child's row
            waiting = prober.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            prober.rollback()
            if waiting:
                break
            threading.Event().wait(0.05)
        assert waiting, "the worker never waited for the child's row"
        with pytest.raises(psycopg.errors.LockNotAvailable):
            prober.execute(
                "SELECT 1 FROM catalogue_book WHERE id = %s FOR UPDATE NOWAIT", [book.pk]
            )
        prober.close()
    finally:
        holder.rollback()
        holder.close()
        worker.join(10)
    assert len(statements) == 1 and statements[0]["sql"].startswith("WITH")


def test_then_lock_locks_nothing_more_when_the_row_is_missing(patron_ale):
    with transaction.atomic():
        assert get_row(Book, "id", 987654, for_update=True, then_lock=patron_ale) is None
