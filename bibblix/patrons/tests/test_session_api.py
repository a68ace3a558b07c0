"""POST and DELETE /api/v1/session: the same service as the login page."""

from bibblix.demo.sip2_testserver import dead_port
from bibblix.patrons.models import Patron
from bibblix.patrons.services import SESSION_KEY

from .conftest import PIN


def post_session(client, library, card, pin):
    return client.post(
        "/api/v1/session",
        {"library": library.pk, "card": card, "pin": pin},
        content_type="application/json",
    )


def test_right_card_and_pin_give_201_with_public_id_and_a_session(client, ale_library, card_ale):
    response = post_session(client, ale_library, *card_ale)
    assert response.status_code == 201
    patron = Patron.objects.get()
    assert response.json()["patron"] == str(patron.public_id)
    assert client.session[SESSION_KEY] == str(patron.public_id)
    assert "sessionid" in response.cookies


def test_refusal_gives_401_with_the_friendly_text(client, ale_library, card_ale):
    response = post_session(client, ale_library, card_ale[0], "0000")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Fel lånekortsnummer eller PIN-kod")


def test_sip2_login_through_the_api(client, sip2_server, sip2_library, ale_library):
    sip2_library(sip2_server())
    assert post_session(client, ale_library, "30000001", PIN).status_code == 201


def test_library_system_down_gives_503(client, sip2_library, ale_library):
    sip2_library(port=dead_port())
    response = post_session(client, ale_library, "30000001", PIN)
    assert response.status_code == 503
    assert response.json()["reason"] == "unavailable"


def test_unknown_library_is_refused(client, db):
    response = client.post(
        "/api/v1/session",
        {"library": 999, "card": "1", "pin": "1"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_delete_session_logs_out(client, ale_library, card_ale):
    created = post_session(client, ale_library, *card_ale)
    token = created.json()["csrf_token"]
    response = client.delete("/api/v1/session", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204
    assert SESSION_KEY not in client.session


def test_delete_session_without_a_session_is_401(client, db):
    assert client.delete("/api/v1/session").status_code == 401


def test_session_endpoints_are_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"post", "delete"} <= set(paths["/api/v1/session"])
    assert {"201", "401", "423", "503"} <= set(paths["/api/v1/session"]["post"]["responses"])
