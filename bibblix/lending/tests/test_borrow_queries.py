"""A borrow is a handful of statements: the throughput of the service depends on it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_borrow_over_the_api_takes_at_most_nine_statements(child, make_book):
    first, second = make_book("Första"), make_book("Andra")
    child.post("/api/v1/loans", json.dumps({"book": first.pk}), content_type="application/json")
    with CaptureQueriesContext(connection) as statements:
        response = child.post(
            "/api/v1/loans", json.dumps({"book": second.pk}), content_type="application/json"
        )
    assert response.status_code == 201
    # Session, child; then (inside a savepoint here, a transaction in production) the book's
    # lock, the child's lock, the counts, the loan and its reading event. Loan rules and the
    # connected municipalities come from the cache after the first borrow.
    sql = [query["sql"] for query in statements.captured_queries]
    assert len(sql) <= 9, "\n".join(sql)
    assert not [text for text in sql if "members_connectionevent" in text]
