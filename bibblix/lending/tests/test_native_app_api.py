"""A native app borrows, reads and writes progress and returns a book with a bearer token from
POST /api/v1/session {"token": true}: no cookie, no CSRF token, no Origin or Referer (issue 13)."""

import datetime
import json

import pytest
import time_machine
from django.test import Client

from bibblix.lending.models import Loan
from bibblix.patrons.models import AppToken


@pytest.fixture
def app():
    """A native app: HTTPS, CSRF enforced as in production, and it never keeps a cookie."""
    return Client(enforce_csrf_checks=True, HTTP_X_FORWARDED_PROTO="https")


def call(app, method, path, token=None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    app.cookies.clear()
    data = json.dumps(body) if body is not None else None
    response = getattr(app, method)(
        path, data, content_type="application/json", secure=True, **headers
    )
    assert "sessionid" not in response.cookies
    return response


def log_in(app, ale_library, card_ale) -> dict:
    card, pin = card_ale
    body = {"library": ale_library.pk, "card": card, "pin": pin, "token": True}
    response = call(app, "post", "/api/v1/session", body=body)
    assert response.status_code == 201
    return response.json()


def test_a_native_app_borrows_reads_progress_and_returns_with_a_bearer_token(
    app, ale_library, card_ale, book
):
    session = log_in(app, ale_library, card_ale)
    assert session["token_type"] == "Bearer" and session["csrf_token"] is None
    token = session["token"]
    loan = call(app, "post", "/api/v1/loans", token, {"book": book.pk})
    assert loan.status_code == 201
    progress = {"locator": "epubcfi(/6/4!/4/2/1:0)", "percentage": 0.4}
    assert call(app, "put", f"/api/v1/progress/{book.pk}", token, progress).status_code == 200
    read = call(app, "get", f"/api/v1/progress/{book.pk}", token).json()
    assert (read["locator"], read["percentage"]) == (progress["locator"], 0.4)
    loan_id = loan.json()["id"]
    assert call(app, "delete", f"/api/v1/loans/{loan_id}", token).status_code == 204
    assert call(app, "get", "/api/v1/loans", token).json() == []


def test_without_a_token_the_same_borrow_is_refused(app, ale_library, card_ale, book):
    log_in(app, ale_library, card_ale)
    assert call(app, "post", "/api/v1/loans", None, {"book": book.pk}).status_code in {401, 403}
    assert not Loan.objects.exists()


def test_the_token_is_stored_only_as_a_hash(app, ale_library, card_ale):
    token = log_in(app, ale_library, card_ale)["token"]
    stored = AppToken.objects.get()
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_logout_revokes_the_token(app, ale_library, card_ale):
    token = log_in(app, ale_library, card_ale)["token"]
    assert call(app, "delete", "/api/v1/session", token).status_code == 204
    assert call(app, "get", "/api/v1/loans", token).status_code == 401
    assert not AppToken.objects.exists()


def test_the_token_expires(app, ale_library, card_ale, settings):
    token = log_in(app, ale_library, card_ale)["token"]
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=settings.APP_TOKEN_SECONDS + 1
    )
    with time_machine.travel(later):
        assert call(app, "get", "/api/v1/loans", token).status_code == 401


def test_a_wrong_pin_gets_no_token(app, ale_library, card_ale):
    body = {"library": ale_library.pk, "card": card_ale[0], "pin": "0000", "token": True}
    response = call(app, "post", "/api/v1/session", body=body)
    assert response.status_code == 401 and "token" not in response.json()
    assert not AppToken.objects.exists()


def test_the_openapi_document_describes_the_bearer_scheme(client):
    document = client.get("/api/v1/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["PatronBearerAuth"].items()
    loans = document["paths"]["/api/v1/loans"]["post"]["security"]
    assert {"PatronBearerAuth": []} in loans


def test_the_web_keeps_its_cookie_and_csrf(ale_library, card_ale, book):
    web = Client(enforce_csrf_checks=True)
    card, pin = card_ale
    body = json.dumps({"library": ale_library.pk, "card": card, "pin": pin})
    session = web.post("/api/v1/session", body, content_type="application/json").json()
    assert session["csrf_token"] and session["token"] is None
    borrow = json.dumps({"book": book.pk})
    assert web.post("/api/v1/loans", borrow, content_type="application/json").status_code == 403
    ok = web.post(
        "/api/v1/loans",
        borrow,
        content_type="application/json",
        HTTP_X_CSRFTOKEN=session["csrf_token"],
    )
    assert ok.status_code == 201


def test_a_token_stops_working_when_the_municipality_disconnects(app, ale, ale_library, card_ale):
    from django.core.cache import caches

    from bibblix.members.models import ConnectionEvent

    token = log_in(app, ale_library, card_ale)["token"]
    assert call(app, "get", "/api/v1/loans", token).status_code == 200
    ConnectionEvent.objects.create(
        organisation=ale,
        state=ConnectionEvent.State.ENDED,
        effective_date=datetime.date(2021, 1, 1),
    )
    caches["local"].clear()  # the list of connected municipalities is kept for a minute
    assert call(app, "get", "/api/v1/loans", token).status_code == 401
