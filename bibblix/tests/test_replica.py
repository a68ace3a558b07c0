"""Catalogue, OPDS and statistics GETs read from the replica; the borrow path never does."""

from contextlib import ExitStack

import pytest
from django.conf import settings
from django.db import connections
from django.test.utils import CaptureQueriesContext

from bibblix.catalogue.models import Book
from bibblix.lending.models import Loan
from bibblix.lib import replica
from bibblix.lib.replica import ReplicaRouter, reading_from_replica


def test_the_router_sends_only_marked_reads_of_shared_tables_to_the_replica(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    router = ReplicaRouter()
    assert router.db_for_read(Book) is None  # not marked: default
    with reading_from_replica():
        assert router.db_for_read(Book) == "replica"
        assert router.db_for_read(Loan) is None  # a child's loans: always default
        monkeypatch.setattr(connections["default"], "in_atomic_block", True)
        assert router.db_for_read(Book) is None  # in a transaction (a borrow's locked read)
    assert router.db_for_write(Book) == "default"
    assert not router.allow_migrate("replica", "catalogue")


needs_replica = pytest.mark.skipif(
    "replica" not in settings.DATABASES, reason="DATABASE_REPLICA_URL is not set"
)


@needs_replica
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_catalogue_pages_read_from_the_replica_and_borrowing_does_not(child):
    book = Book.objects.create(title="Draken i Ale", language="sv")
    with ExitStack() as stack:
        on_replica = stack.enter_context(CaptureQueriesContext(connections["replica"]))
        assert child.get(f"/books/{book.pk}/").status_code == 200
        assert child.get("/opds/v1/").status_code in (200, 401)
    tables = " ".join(query["sql"] for query in on_replica.captured_queries)
    assert "catalogue_book" in tables and "lending_loan" not in tables

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        child.post(f"/my/books/{book.pk}/borrow/", HTTP_HX_REQUEST="true")
    assert on_replica.captured_queries == []
    assert Loan.objects.filter(book=book).exists()
