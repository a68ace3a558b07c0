"""WCAG 2.1 AA across the children's pages: axe-core finds nothing, and nothing scrolls sideways
on a phone at 200 % text size (the reader and login pages have their own checks in their apps)."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from bibblix.catalogue.models import Book, Shelf, ShelfEntry, Theme
from bibblix.lending.models import Loan
from bibblix.patrons.services import SESSION_KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    return page.evaluate(
        """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))
             .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)""",
        AXE_TAGS,
    )


@pytest.fixture
def catalogue(db):
    theme = Theme.objects.create(slug="djur", name_sv="Djur", name_en="Animals", symbol="🐾")
    books = []
    for number in range(6):
        book = Book.objects.create(
            title=f"Hunden som flög nummer {number}",
            description="En bok om en hund som lär sig flyga över hela Sverige.",
            is_featured=True,
            is_free_to_try=number == 0,
            page_count=40 + number,
            series="Flygande hundar",
            series_number=number + 1,
        )
        book.themes.add(theme)
        books.append(book)
    return theme, books


def _log_in(page, live_server, patron) -> None:
    session = SessionStore()
    session[SESSION_KEY] = str(patron.public_id)
    session.save()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )


def _check(page, url: str) -> None:
    page.goto(url)
    assert axe_violations(page) == [], url
    page.evaluate("() => { document.documentElement.style.fontSize = '200%' }")
    assert (
        page.evaluate("() => document.documentElement.scrollWidth") <= page.viewport_size["width"]
    ), url


def test_visitors_pages_are_accessible_on_a_phone(phone, ale, catalogue):
    theme, books = catalogue
    shelf = Shelf.objects.create(slug="sommar", name="Sommarläsning", description="Till stranden.")
    for position, book in enumerate(books):
        ShelfEntry.objects.create(shelf=shelf, book=book, position=position)
    for url in [
        f"/shelves/{shelf.pk}/",
        "/",
        "/books/",
        f"/themes/{theme.slug}/",
        "/search/?q=hunden",
        f"/books/{books[1].pk}/",
        "/books/free/",
    ]:
        _check(phone, url)


def test_a_logged_in_childs_pages_are_accessible_in_english_too(
    phone, live_server, patron_ale, catalogue
):
    _theme, books = catalogue
    now = timezone.now()
    Loan.objects.create(
        patron=patron_ale, book=books[2], borrowed_at=now, due_at=now + datetime.timedelta(days=28)
    )
    local = Shelf.objects.create(
        slug="ale-tips", name="Ales tips", municipality=patron_ale.municipality
    )
    ShelfEntry.objects.create(shelf=local, book=books[3])
    _log_in(phone, live_server, patron_ale)
    for url in ["/", f"/books/{books[2].pk}/", "/my/", f"/shelves/{local.pk}/"]:
        _check(phone, url)
    phone.goto("/")
    phone.get_by_role("button", name="In English").click()
    phone.wait_for_url("**/")
    assert phone.get_by_role("heading", level=1).inner_text().startswith("Hi!")
    _check(phone, "/my/")


def test_the_axe_check_catches_a_button_without_a_name(phone, db):
    phone.goto("/")
    phone.evaluate("() => document.querySelector('main').append(document.createElement('button'))")
    assert any(v.startswith("button-name") for v in axe_violations(phone))
