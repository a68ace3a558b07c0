"""Shared fixtures. Personas: `child` (a logged-in patron of Ale), `librarian_ale`,
`librarian_boras` (must see nothing of Ale), `coordinator`, `economist`.

Builders for an app's own rows live in that app's tests/; these are the cross-app personas.
"""

import contextlib
import datetime
import os
import time
from pathlib import Path

import pytest
from django.conf import settings

SHARED_DIR = Path(settings.SHARED_DIR)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TABLET = {
    "viewport": {"width": 820, "height": 1180},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def pytest_collection_modifyitems(config, items):
    """Skip, visibly, what needs ../shared/ or PostgreSQL when they are absent."""
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    for item in items:
        if "shared" in item.keywords and not SHARED_DIR.exists():
            item.add_marker(
                pytest.mark.skip(reason=f"needs {SHARED_DIR} (sample books, schemas): not present")
            )
        if "postgres_only" in item.keywords and not on_postgres:
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL leg of make test")
            )
        if "browser" in item.keywords and not Path(CHROMIUM).exists():
            item.add_marker(pytest.mark.skip(reason=f"needs Debian's Chromium at {CHROMIUM}"))


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Every test starts with empty caches: the shared one and each process's "local" one
    (loan rules and connected municipalities are kept there for a minute)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes files to its own folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # The demo's two years of generated usage take a minute to load; tests that load the whole
    # demo get three weeks of it (insights' own demo test asks for its own length).
    settings.DEMO_USAGE_DAYS = 21
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- member register -----------------------------------------------------------------------


@pytest.fixture
def make_municipality(db):
    from bibblix.members.models import ConnectionEvent, Library, Organisation

    def make(
        name: str,
        code: str,
        *,
        connected_since=datetime.date(2020, 1, 1),
        library: str | None = None,
    ):
        municipality = Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY, name=name, municipality_code=code, population=30000
        )
        if connected_since:
            ConnectionEvent.objects.create(
                organisation=municipality,
                state=ConnectionEvent.State.CONNECTED,
                effective_date=connected_since,
            )
        Library.objects.create(municipality=municipality, name=library or f"{name} bibliotek")
        return municipality

    return make


@pytest.fixture
def ale(make_municipality):
    return make_municipality("Ale", "1440")


@pytest.fixture
def boras(make_municipality):
    return make_municipality("Borås", "1490")


@pytest.fixture
def ale_library(ale):
    return ale.libraries.get()


@pytest.fixture
def card_ale(ale_library):
    """A valid child's card in Ale's local register: (card number, PIN)."""
    from bibblix.patrons.services import add_local_card

    add_local_card(ale_library, "20000001", "1234")
    return "20000001", "1234"


@pytest.fixture
def patron_ale(ale_library, card_ale):
    from bibblix.patrons.services import patron_for_card

    return patron_for_card(ale_library, card_ale[0])


@pytest.fixture
def child(client, patron_ale):
    """A Django test client logged in as a child of Ale."""
    session = client.session
    from bibblix.patrons.services import SESSION_KEY

    session[SESSION_KEY] = str(patron_ale.public_id)
    session.save()
    client.patron = patron_ale
    return client


# --- staff ---------------------------------------------------------------------------------


def _staff(django_user_model, username, role, municipality=None):
    from bibblix.members.models import StaffProfile

    user = django_user_model.objects.create_user(username=username, password="pw-for-tests-1")
    StaffProfile.objects.create(user=user, role=role, municipality=municipality)
    user.refresh_from_db()
    return user


@pytest.fixture
def librarian_ale(db, django_user_model, ale):
    from bibblix.members.models import StaffProfile

    return _staff(django_user_model, "librarian-ale", StaffProfile.Role.LIBRARIAN, ale)


@pytest.fixture
def librarian_boras(db, django_user_model, boras):
    from bibblix.members.models import StaffProfile

    return _staff(django_user_model, "librarian-boras", StaffProfile.Role.LIBRARIAN, boras)


@pytest.fixture
def municipality_admin_ale(db, django_user_model, ale):
    from bibblix.members.models import StaffProfile

    return _staff(django_user_model, "admin-ale", StaffProfile.Role.MUNICIPALITY_ADMIN, ale)


@pytest.fixture
def coordinator(db, django_user_model):
    from bibblix.members.models import StaffProfile

    return _staff(django_user_model, "coordinator", StaffProfile.Role.ASSOCIATION_ADMIN)


@pytest.fixture
def economist(db, django_user_model):
    from bibblix.members.models import StaffProfile

    return _staff(django_user_model, "economist", StaffProfile.Role.ECONOMY)


# --- browser -------------------------------------------------------------------------------


class _Chromium:
    """One Chromium for the whole session, launched again if it has gone away (a crash of the
    browser process must cost at most the test that was running, not every test after it)."""

    def __init__(self, playwright):
        self.playwright = playwright
        self.browser = None

    def get(self):
        if self.browser is None or not self.browser.is_connected():
            self.browser = self.playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
            )
        return self.browser


@pytest.fixture(scope="session")
def _chromium():
    # Playwright's sync API runs an event loop in this thread; the ORM calls that tests make
    # between page actions are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = _Chromium(playwright)
        yield chromium
        if chromium.browser is not None and chromium.browser.is_connected():
            chromium.browser.close()


@pytest.fixture
def browser(_chromium):
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    return _chromium.get()


def wait_for_live_server(live_server, quiet: float = 0.4, timeout: float = 15.0) -> None:
    """Wait until the live server has answered every request the browser sent, and no new one
    has come for `quiet` seconds.

    A page that goes away still sends its last requests (the reader saves the reading position
    on `pagehide` with keepalive), a moment after the page is gone. If one of them is still in a
    transaction when the test's database is emptied, PostgreSQL deadlocks and the next test
    fails; so the teardown waits for the server's handler threads to end and stay ended."""
    httpd = live_server.thread.httpd
    deadline = time.monotonic() + timeout
    last_busy = time.monotonic()
    while time.monotonic() < deadline:
        # socketserver keeps a list of threads once it has answered a request (a stand-in
        # that is not a list before the first one).
        threads = getattr(httpd, "_threads", None)
        busy = (
            [thread for thread in threads if thread.is_alive()] if isinstance(threads, list) else []
        )
        if busy:
            for thread in busy:
                thread.join(max(0.0, deadline - time.monotonic()))
            last_busy = time.monotonic()
        elif time.monotonic() - last_busy >= quiet:
            return
        else:
            time.sleep(0.05)


def close_context(context, live_server) -> None:
    """Close the context, then wait until the server has answered the pages' last requests."""
    with contextlib.suppress(Exception):
        context.close()
    wait_for_live_server(live_server)


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page (390×844, touch) whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    close_context(context, live_server)


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", **TABLET)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    close_context(context, live_server)


@pytest.fixture
def close_browser_context(live_server):
    """For tests that open a second browser context: close it the way the fixtures do."""
    return lambda context: close_context(context, live_server)
