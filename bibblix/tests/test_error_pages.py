"""Error pages are Bibblix's own: Swedish first, friendly, a way home, no inline code."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from bibblix.urls import urlpatterns as project_urls

pytestmark = pytest.mark.django_db


def _broken(request):
    raise RuntimeError("a bug")


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("odd input")


urlpatterns = [
    path("test-errors/500/", _broken),
    path("test-errors/403/", _forbidden),
    path("test-errors/400/", _bad),
    *project_urls,
]


@pytest.fixture
def errors_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def assert_friendly(response, status: int, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    assert 'href="/"' in html  # a way home
    assert f"{status}" in html  # the code, for staff who report it
    assert "<style" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert 'lang="sv"' in html
    return html


def test_404_is_swedish_and_friendly(client):
    html = assert_friendly(client.get("/finns-inte/"), 404, "Oj! Vi hittar inte den sidan")
    assert "Hitta en bok" in html


def test_404_in_english_when_chosen(client):
    client.cookies["django_language"] = "en"
    response = client.get("/books/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Oops! We cannot find that page" in html and 'lang="en"' in html


def test_500_page_with_debug_off(errors_urls):
    client = Client(raise_request_exception=False)
    html = assert_friendly(client.get("/test-errors/500/"), 500, "Åh nej! Något gick fel här")
    assert "a bug" not in html and "Traceback" not in html


def test_403_page_points_staff_to_their_login(client, errors_urls):
    html = assert_friendly(client.get("/test-errors/403/"), 403, "Den här sidan är inte för dig")
    assert 'href="/staff/login/"' in html


def test_400_page_for_bad_input(client, errors_urls):
    assert_friendly(client.get("/test-errors/400/"), 400, "Hoppsan! Något var fel med adressen")


def test_csrf_failure_page(errors_urls):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert_friendly(response, 403, "Sidan var öppen för länge")


def test_favicons_are_linked_and_served(client):
    html = client.get("/finns-inte/").content.decode() + client.get("/books/").content.decode()
    for name in ("favicon.svg", "favicon-32.png", "apple-touch-icon.png"):
        assert html.count(f"bibblix/{name}") >= 2, name  # the base page and the error page
        assert finders.find(f"bibblix/{name}"), name
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("bibblix/favicon.ico")
    with open(finders.find("bibblix/favicon.ico"), "rb") as handle:
        assert handle.read(4) == b"\x00\x00\x01\x00"  # an ICO file
