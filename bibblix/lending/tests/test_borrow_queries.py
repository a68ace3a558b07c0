"""A borrow is a handful of statements: the throughput of the service depends on it."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_a_borrow_over_the_api_takes_four_statements_on_postgresql(child, make_book):
    first, second = make_book("Första"), make_book("Andra")
    child.post("/api/v1/loans", json.dumps({"book": first.pk}), content_type="application/json")
    with CaptureQueriesContext(connection) as statements:
        response = child.post(
            "/api/v1/loans", json.dumps({"book": second.pk}), content_type="application/json"
        )
    assert response.status_code == 201
    sql = [query["sql"] for query in statements.captured_queries]
    # Besides the session (from Redis in production, from the database without it) and the
    # savepoint this test's transaction puts round the borrow's (BEGIN and COMMIT in
    # production): the child; then the book's lock with the child's (one statement on
    # PostgreSQL), the child's counts, and the loan with its usage event (one statement on
    # PostgreSQL, two elsewhere). Loan rules and the connected municipalities come from the
    # per-process cache after the first borrow.
    own = [
        text
        for text in sql
        if "django_session" not in text and not text.startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert len(own) <= (4 if connection.vendor == "postgresql" else 5), "\n".join(sql)
    assert not [text for text in sql if "members_connectionevent" in text]
    # The book's lock reads what the rules and the answer need, not the whole row.
    assert not [text for text in sql if "catalogue_book" in text and "search_text" in text]
