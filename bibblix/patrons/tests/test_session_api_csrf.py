"""POST /api/v1/session cannot be made by another site (login CSRF): it takes JSON only, and a
browser's foreign Origin or Referer is refused. Native apps send JSON without either."""

import json

from bibblix.patrons.services import SESSION_KEY


def post(client, library, card, pin, **extra):
    body = json.dumps({"library": library.pk, "card": card, "pin": pin})
    extra.setdefault("content_type", "application/json")
    return client.post("/api/v1/session", body, **extra)


def test_text_plain_body_is_refused_with_415_and_no_session(client, ale_library, card_ale):
    response = post(
        client,
        ale_library,
        *card_ale,
        content_type="text/plain",
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 415
    assert SESSION_KEY not in client.session
    assert "sessionid" not in response.cookies


def test_text_plain_body_is_refused_even_without_an_origin(client, ale_library, card_ale):
    assert post(client, ale_library, *card_ale, content_type="text/plain").status_code == 415


def test_json_from_a_foreign_origin_is_refused_with_403(client, ale_library, card_ale):
    response = post(client, ale_library, *card_ale, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_json_with_a_foreign_referer_and_no_origin_is_refused(client, ale_library, card_ale):
    response = post(client, ale_library, *card_ale, HTTP_REFERER="https://evil.example/page")
    assert response.status_code == 403


def test_null_origin_is_refused(client, ale_library, card_ale):
    assert post(client, ale_library, *card_ale, HTTP_ORIGIN="null").status_code == 403


def test_native_app_json_without_origin_logs_in(client, ale_library, card_ale):
    response = post(client, ale_library, *card_ale)
    assert response.status_code == 201
    assert client.session[SESSION_KEY] == response.json()["patron"]


def test_own_web_page_with_its_own_origin_logs_in(client, ale_library, card_ale):
    response = post(
        client,
        ale_library,
        *card_ale,
        content_type="application/json; charset=utf-8",
        HTTP_ORIGIN="http://testserver",
        HTTP_REFERER="http://testserver/login/",
    )
    assert response.status_code == 201
