"""Schemathesis against /api/v1/openapi.json: generated calls to every operation (bounded number of
examples, as a logged-in child with a CSRF token) never get a 5xx. Runs on both databases."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings

EXAMPLES = 25

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def book(db):
    from bibblix.catalogue.models import Book

    return Book.objects.create(title="Boken")


@pytest.fixture
def child_cookies(child):
    """The logged-in child's session cookie and a CSRF token, for calls through WSGI."""
    token = _get_new_csrf_string()
    return {"sessionid": child.cookies["sessionid"].value, "csrftoken": token}


@pytest.fixture
def wsgi_in_test_transaction():
    # As Django's test client does: a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(
    case, child_cookies, wsgi_in_test_transaction, book
):
    response = case.call(
        cookies=child_cookies,
        headers={"X-CSRFToken": child_cookies["csrftoken"]},
    )
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
