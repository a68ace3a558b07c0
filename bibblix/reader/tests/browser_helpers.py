"""Helpers for the reader's browser tests (not a test module)."""

from bibblix.patrons.services import SESSION_KEY


def log_in(context, live_server, patron) -> None:
    """Give a browser context the session cookie of `patron` (as if the child had logged in)."""
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(patron.public_id)
    session.create()
    context.add_cookies(
        [{"name": "sessionid", "value": session.session_key, "url": live_server.url}]
    )


def open_reader(page, book_id: int) -> None:
    page.goto(f"/read/{book_id}/")
    page.wait_for_selector("html[data-reader-ready='true']", timeout=15_000)


def fraction(page) -> float:
    return float(page.evaluate("document.documentElement.dataset.readerFraction || '0'"))


def location(page) -> str:
    return page.evaluate("window.bibblixReader.view.lastLocation.cfi")
