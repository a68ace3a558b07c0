"""The children's app on a phone (390×844) and a tablet (820×1180), at normal and 200 % text:
a compact header, the main places in a tab bar at the bottom, rows of covers that scroll
sideways, "Fortsätt läsa" with progress, Mina böcker with covers and a return that asks once,
and the book page's one main button. axe-core finds nothing on any of them.

Screenshots go to var/screenshots/ (looked at before calling the layout done)."""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from bibblix.catalogue.models import Book, Theme
from bibblix.demo.generated_books import make_cover
from bibblix.lending import services
from bibblix.lending.models import Loan
from bibblix.patrons.services import patron_for_card
from bibblix.tests.test_accessibility_browser import _log_in, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
SIZES = ["phone", "tablet"]
TEXT = [100, 200]


@pytest.fixture
def shelf_of_books(db):
    animals = Theme.objects.create(slug="djur", name_sv="Djur", name_en="Animals", symbol="🐾")
    books = []
    for number in range(14):
        book = Book.objects.create(
            title=f"Hunden som flög, del {number + 1}",
            description="En bok om en hund som lär sig flyga.",
            is_featured=number < 4,
            reading_minutes=95,
        )
        book.themes.add(animals)
        books.append(book)
    return books


def _device(request, size):
    return request.getfixturevalue(size)


def _text_size(page, percent: int) -> None:
    if percent != 100:
        page.evaluate(f"() => {{ document.documentElement.style.fontSize = '{percent}%' }}")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _fits_sideways(page) -> bool:
    return (
        page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
    )


@pytest.mark.parametrize("text", TEXT)
@pytest.mark.parametrize("size", SIZES)
def test_home_has_a_compact_header_a_tab_bar_and_rows_of_covers(
    request, live_server, size, text, patron_ale, shelf_of_books
):
    page = _device(request, size)
    reading = shelf_of_books[5]
    Loan.objects.create(
        patron=patron_ale,
        book=reading,
        borrowed_at=timezone.now(),
        due_at=timezone.now() + datetime.timedelta(days=10),
    )
    services.record_progress(patron_ale, reading.pk, locator="epubcfi(/6/4)", percentage=0.6)
    _log_in(page, live_server, patron_ale)
    page.goto("/")
    _text_size(page, text)
    assert axe_violations(page) == []
    _shot(page, f"home-{size}-{text}")
    height = page.viewport_size["height"]
    header = page.locator(".site-header").bounding_box()
    # The header was 320 px of a phone's 844; now one row (two at most at 200 % text).
    assert header["height"] <= (80 if text == 100 else 130)
    tabs = page.get_by_role("navigation", name="Huvudmeny")
    names = [name.strip() for name in tabs.get_by_role("link").all_inner_texts()]
    assert names == ["Hem", "Böcker", "Sök", "Mina böcker"]
    assert tabs.get_by_role("link", name="Hem").get_attribute("aria-current") == "page"
    if size == "phone":  # where the thumb is
        assert abs(tabs.bounding_box()["y"] + tabs.bounding_box()["height"] - height) < 2
    # "Fortsätt läsa": the borrowed book with how much is read.
    row = page.get_by_role("region", name="Fortsätt läsa")
    assert row.get_by_text(reading.title).is_visible()
    assert row.get_by_text("60 % läst").is_visible()
    assert row.locator("progress").get_attribute("value") == "60"
    # A theme's row is a list under its heading that scrolls sideways; the page does not.
    animals = page.get_by_role("region", name="Djur")
    assert animals.get_by_role("listitem").count() == 12
    assert animals.locator(".book-row").evaluate("(row) => row.scrollWidth > row.clientWidth")
    assert animals.get_by_role("link", name="Visa alla – Djur").get_attribute("href") == (
        "/themes/djur/"
    )
    assert _fits_sideways(page)
    # The language switch is out of the way, at the foot of the page.
    switch = page.get_by_role("button", name="In English")
    assert switch.evaluate("(button) => !!button.closest('footer')")


@pytest.mark.parametrize("text", TEXT)
@pytest.mark.parametrize("size", SIZES)
def test_my_books_shows_covers_progress_and_asks_before_returning(
    request, live_server, size, text, patron_ale, shelf_of_books
):
    page = _device(request, size)
    book = shelf_of_books[2]
    cover = default_storage.save(
        "covers/test.png", ContentFile(make_cover(book.title, (52, 152, 219)))
    )
    Book.objects.filter(pk=book.pk).update(cover=cover)
    loan, _ = services.borrow(patron_ale, book.pk)
    services.record_progress(patron_ale, book.pk, locator="epubcfi(/6/4)", percentage=0.3)
    _log_in(page, live_server, patron_ale)
    page.goto("/my/")
    _text_size(page, text)
    card = page.locator(f"[data-loan='{loan.pk}']")
    assert card.locator("img.book-cover").evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert card.get_by_text("30 % läst").is_visible()
    assert card.get_by_text("28 dagar kvar").is_visible()
    assert axe_violations(page) == []
    assert _fits_sideways(page)
    _shot(page, f"my-books-{size}-{text}")
    # "Lämna tillbaka" asks once; only the answer returns the book.
    card.locator("summary", has_text="Lämna tillbaka").click()
    confirm = card.get_by_role("button", name="Ja, lämna tillbaka")
    assert confirm.is_visible()
    assert services.has_active_loan(patron_ale, book)
    assert axe_violations(page) == []
    confirm.click()
    page.wait_for_url("**/my/")
    assert not services.has_active_loan(patron_ale, book)


@pytest.mark.parametrize("text", TEXT)
@pytest.mark.parametrize("size", SIZES)
def test_book_page_says_all_copies_are_out_and_when_one_is_back(
    request, live_server, size, text, patron_ale, ale_library, shelf_of_books
):
    page = _device(request, size)
    book = shelf_of_books[0]
    Book.objects.filter(pk=book.pk).update(licence_model="concurrent", licence_copies=1)
    other = patron_for_card(ale_library, "20000099")
    loan, _ = services.borrow(other, book.pk)
    _log_in(page, live_server, patron_ale)
    page.goto(f"/books/{book.pk}/")
    _text_size(page, text)
    assert page.get_by_text("Alla exemplar är utlånade").is_visible()
    day = timezone.localtime(loan.due_at)
    assert page.get_by_text(f"senast {day.day} ").is_visible()
    queue = page.get_by_role("button", name="Ställ dig i kö (plats 1)")
    assert queue.is_visible()
    assert page.get_by_text("Ungefär 1 timme och 35 minuter").is_visible()
    assert axe_violations(page) == []
    assert _fits_sideways(page)
    _shot(page, f"book-all-out-{size}-{text}")
    # A book with a free copy: "Låna" is the one main button, above the facts.
    page.goto(f"/books/{shelf_of_books[1].pk}/")
    _text_size(page, text)
    primary = page.locator("main .button-primary")
    assert primary.count() == 1 and primary.inner_text().strip() == "Låna"
    assert axe_violations(page) == []
    _shot(page, f"book-{size}-{text}")
