"""Two-step login (TOTP) for the association's administrators and economy (issue 13)."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bibblix.audit.models import AuditEntry

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def required(settings):
    settings.STAFF_TWO_FACTOR = True


def log_in(client, user):
    response = client.post(
        "/staff/login/?next=/staff/", {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client.get("/staff/")


def code(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_coordinator_enrols_with_a_qr_code_and_a_first_code(client, coordinator, required):
    assert log_in(client, coordinator).url == "/staff/two-factor/setup/"
    page = client.get("/staff/two-factor/setup/")
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and 'id="totp-key"' in html
    assert client.get("/staff/catalogue/book/").status_code == 302  # still locked
    device = TOTPDevice.objects.get(user=coordinator)
    response = client.post("/staff/two-factor/setup/", {"code": code(device)})
    assert response.status_code == 302
    assert client.get("/staff/catalogue/book/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="two-factor enrolled", user=coordinator).exists()


def test_a_wrong_code_is_refused_with_a_message(client, coordinator, required):
    log_in(client, coordinator)
    client.get("/staff/two-factor/setup/")
    response = client.post("/staff/two-factor/setup/", {"code": "000000"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not TOTPDevice.objects.get(user=coordinator).confirmed
    assert client.get("/staff/").status_code == 302


def test_an_enrolled_economist_gives_a_code_at_every_login(client, economist, required):
    device = TOTPDevice.objects.create(user=economist, name="app", confirmed=True)
    assert log_in(client, economist).url == "/staff/two-factor/verify/"
    assert client.post("/staff/two-factor/verify/", {"code": "12"}).status_code == 200
    assert client.get("/staff/").status_code == 302
    client.post("/staff/two-factor/verify/", {"code": code(device)})
    assert client.get("/staff/").status_code == 200


def test_a_municipality_librarian_needs_no_second_step(client, librarian_ale, required):
    assert log_in(client, librarian_ale).status_code == 200


def test_off_unless_turned_on_outside_production(client, coordinator, settings):
    settings.STAFF_TWO_FACTOR = False
    assert log_in(client, coordinator).status_code == 200
