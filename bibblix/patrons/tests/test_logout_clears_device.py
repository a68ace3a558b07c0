"""Logging out clears what the child left in the browser (shared school and library tablets)."""

from bibblix.patrons.services import device_key


def test_logout_page_sends_clear_site_data(child):
    response = child.post("/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'


def test_logout_through_the_api_sends_clear_site_data(child):
    response = child.delete("/api/v1/session")
    assert response.status_code == 204
    assert response["Clear-Site-Data"] == '"cache"'


def test_device_key_is_per_child_and_does_not_show_the_public_id(patron_ale):
    key = device_key(patron_ale)
    assert len(key) == 16 and key == device_key(patron_ale)
    assert key not in str(patron_ale.public_id).replace("-", "")
    assert device_key(None) == ""
