"""On a phone: a child joins a challenge, reads a short book to the end in the reader, rates it,
and sees the badge and the challenge progress; axe-core finds nothing on the new pages.
Screenshots of each page go to var/screenshots/motivation/ to be looked at."""

import datetime
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.utils import timezone

from bibblix.catalogue.models import Book
from bibblix.demo.generated_books import make_epub
from bibblix.lending.models import Loan, ReadingProgress
from bibblix.motivation.models import Challenge, Rating
from bibblix.patrons.services import SESSION_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "motivation"


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        AXE_TAGS,
    )


def _look(page, name: str) -> None:
    """axe finds nothing; a screenshot at normal and at 200 % text; nothing scrolls sideways."""
    assert axe_violations(page) == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    page.screenshot(path=str(SHOTS / f"{name}-200.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], name
    page.evaluate("() => { document.documentElement.style.fontSize = '' }")


def _log_in(page, live_server, patron) -> None:
    session = SessionStore()
    session[SESSION_KEY] = str(patron.public_id)
    session.create()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def _read_to_the_end(page, book_id: int) -> None:
    page.goto(f"/read/{book_id}/")
    page.wait_for_selector("html[data-reader-ready='true']", state="attached", timeout=15_000)
    for _ in range(80):
        fraction = float(
            page.evaluate("() => document.documentElement.dataset.readerFraction || '0'")
        )
        if fraction >= 0.99:
            break
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # the reader saves a moment after the last turn
        row = ReadingProgress.objects.filter(book_id=book_id).first()
        if row is not None and row.finished_at is not None:
            return
        page.wait_for_timeout(250)
    raise AssertionError("the reader never saved the end of the book")


def test_a_child_joins_reads_rates_and_sees_badge_and_progress(phone, live_server, patron_ale):
    today = timezone.localdate()
    challenge = Challenge.objects.create(
        title="Sommarboken",
        description="Läs en bok i sommar och få ett diplom!",
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=30),
        goal_count=1,
    )
    book = Book.objects.create(title="Den modiga draken", page_count=6, is_featured=True)
    book.epub.save("draken.epub", ContentFile(make_epub(3, "Den modiga draken", "Omar Lind")))
    now = timezone.now()
    Loan.objects.create(
        patron=patron_ale, book=book, borrowed_at=now, due_at=now + datetime.timedelta(days=28)
    )
    _log_in(phone, live_server, patron_ale)

    phone.goto("/challenges/")
    _look(phone, "challenges-before")
    phone.get_by_role("button", name="Var med!").click()
    phone.wait_for_url("**/challenges/**")
    assert "0 / 1" in phone.locator(f"#challenge-{challenge.pk}").inner_text()

    _read_to_the_end(phone, book.pk)
    phone.get_by_role("link", name="Stäng").click()
    phone.wait_for_url(f"**/books/{book.pk}/")
    celebration = phone.locator(".celebrate")
    assert "Första boken" in celebration.inner_text()
    assert "Utmaning klar" in celebration.inner_text()
    _look(phone, "book-page-celebration")

    phone.get_by_role("button", name="Jättebra").click()
    phone.wait_for_url(f"**/books/{book.pk}/#rate")
    assert phone.get_by_role("button", name="Jättebra").get_attribute("aria-pressed") == "true"
    assert Rating.objects.get(patron=patron_ale, book=book).value == 3
    _look(phone, "book-page-rated")

    phone.goto("/challenges/")
    panel = phone.locator(f"#challenge-{challenge.pk}")
    assert "1 / 1" in panel.inner_text() and "Du klarade det!" in panel.inner_text()
    _look(phone, "challenges-done")
    phone.get_by_role("link", name="Visa mitt diplom").click()
    phone.get_by_label("Skriv ditt namn").fill("Alva")
    _look(phone, "diploma")

    phone.goto("/badges/")
    assert phone.locator(".badge-item:not(.badge-locked)").count() == 2
    _look(phone, "badges")
    phone.goto("/my/")
    _look(phone, "my-books")
    phone.goto("/")
    _look(phone, "home")


@pytest.mark.parametrize(
    ("motion", "animation"), [("reduce", "none"), ("no-preference", "confetti-fall")]
)
def test_the_celebration_keeps_still_with_reduced_motion(
    browser, live_server, patron_ale, close_browser_context, motion, animation
):
    from bibblix.motivation.models import BadgeAward
    from conftest import PHONE

    BadgeAward.objects.create(patron=patron_ale, badge="first-book", awarded_at=timezone.now())
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", reduced_motion=motion, **PHONE
    )
    page = context.new_page()
    try:
        _log_in(page, live_server, patron_ale)
        page.goto("/my/")
        assert page.locator(".celebrate").is_visible()
        name = page.evaluate(
            "() => getComputedStyle(document.querySelector('.confetti i')).animationName"
        )
        assert name == animation
    finally:
        close_browser_context(context)
