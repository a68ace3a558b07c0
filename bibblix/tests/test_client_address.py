"""One way to find the client's address for every login limit (lib/client_address.py): staff
logins (django-axes) and children's card logins (patrons.lockout) read it alike, believing
X-Forwarded-For only from TRUSTED_PROXIES; RATELIMIT_IP_META_KEY is a deprecated alias."""

from django.conf import settings as django_settings

from bibblix.lib.client_address import check_settings, client_ip
from bibblix.patrons import lockout


def test_axes_and_childrens_logins_use_the_same_function():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "bibblix.lib.client_address.client_ip"
    assert lockout.client_ip is client_ip


def test_forwarded_address_is_believed_only_from_a_trusted_proxy(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATELIMIT_IP_META_KEY = None
    via_proxy = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_ip(via_proxy) == "203.0.113.7"
    assert client_ip(spoofed) == "203.0.113.5"


def test_without_trusted_proxies_the_connection_counts(rf, settings):
    settings.TRUSTED_PROXIES = []
    settings.RATELIMIT_IP_META_KEY = None
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")) == (
        "10.0.0.1"
    )
    assert check_settings() == []


def test_deprecated_setting_still_works_alone_and_warns(rf, settings):
    settings.TRUSTED_PROXIES = []
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="203.0.113.7")) == (
        "203.0.113.7"
    )
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="garbage")) == "10.0.0.1"
    assert [message.id for message in check_settings()] == ["bibblix.W002"]


def test_deprecated_setting_is_ignored_next_to_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_FORWARDED_FOR"
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert client_ip(spoofed) == "203.0.113.5"
    assert [message.id for message in check_settings()] == ["bibblix.W001"]
