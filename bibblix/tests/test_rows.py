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
