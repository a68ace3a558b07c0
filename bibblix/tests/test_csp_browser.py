"""Under the site's Content-Security-Policy the pages still work and the browser blocks nothing:
a child on a phone goes from the municipality chooser through login, search, a book page and
Mina böcker; staff use the admin's widgets. Any violation fails the test."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from bibblix.catalogue.models import Book, Contributor, Theme
from bibblix.patrons.models import LoginProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before the page's own scripts on every page the context opens.
COLLECT_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
    `(${event.sourceFile}:${event.lineNumber})`
  );
});
"""


class ViolationWatch:
    """Collects CSP violations: from the page's events, and from the console across pages."""

    def __init__(self, page):
        self.page = page
        self.console: list[str] = []
        page.context.add_init_script(COLLECT_VIOLATIONS)
        page.context.on("console", self._on_console)

    def _on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def on_this_page(self, page=None) -> list[str]:
        return (page or self.page).evaluate("window.cspViolations || []")

    def assert_none(self, page=None) -> None:
        page = page or self.page
        assert self.on_this_page(page) == [], page.url
        assert self.console == [], page.url


@pytest.fixture
def watch(phone):
    return ViolationWatch(phone)


def test_a_childs_way_through_the_site_violates_nothing(phone, watch, ale, boras, card_ale):
    book = Book.objects.create(title="Pippi Långstrump", description="Världens starkaste flicka.")
    Book.objects.create(title="Draken som åt glass")

    # Home page: the chooser filters as the child types.
    response = phone.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    phone.get_by_label("Sök efter din kommun").fill("bor")
    expect(phone.get_by_role("button", name="Ale", exact=True)).to_be_hidden()
    phone.get_by_label("Sök efter din kommun").fill("al")
    expect(phone.get_by_role("button", name="Borås", exact=True)).to_be_hidden()
    watch.assert_none()
    phone.get_by_role("button", name="Ale", exact=True).click()

    # Login page: focus on the card number; after a wrong PIN, on the message.
    card = phone.get_by_label("Lånekortsnummer")
    expect(card).to_be_focused()
    card.fill(card_ale[0])
    phone.get_by_label("PIN-kod").fill("0000")
    phone.get_by_role("button", name="Logga in").click()
    expect(phone.get_by_role("alert")).to_be_focused()
    watch.assert_none()
    phone.get_by_label("Lånekortsnummer").fill(card_ale[0])
    phone.get_by_label("PIN-kod").fill(card_ale[1])
    phone.get_by_role("button", name="Logga in").click()
    phone.get_by_role("button", name="Logga ut").wait_for()
    watch.assert_none()

    # Book list, then search as you type (htmx), then the book page and borrowing (htmx).
    phone.goto("/books/")
    watch.assert_none()
    phone.get_by_role("link", name="Sök").first.tap()
    phone.get_by_label("Sök efter en bok").press_sequentially("pipi", delay=40)
    results = phone.locator("#search-results")
    results.get_by_text("1 bok hittades").wait_for()
    assert "q=pipi" in phone.url
    watch.assert_none()
    results.get_by_role("link", name="Pippi Långstrump").tap()
    phone.wait_for_url(f"**/books/{book.pk}/")
    phone.get_by_role("button", name="Låna", exact=True).tap()
    phone.get_by_role("link", name="Läs", exact=True).wait_for()
    watch.assert_none()

    # Mina böcker shows the loan.
    phone.get_by_role("link", name="Mina böcker").click()
    phone.wait_for_url("**/my/")
    expect(phone.locator(".loan-card[data-loan]", has_text="Pippi Långstrump")).to_be_visible()
    watch.assert_none()

    # Logged out, the device offers the remembered municipality as one big button;
    # "Choose another municipality" forgets it.
    phone.get_by_role("button", name="Logga ut").click()
    phone.goto("/")
    phone.get_by_role("button", name="Logga in med ditt lånekort från Ale").click()
    phone.get_by_role("link", name="Välj en annan kommun").click()
    phone.wait_for_url("**/login/")
    assert phone.evaluate("localStorage.getItem('bibblix.municipality')") is None
    watch.assert_none()


def test_visitors_pages_violate_nothing(phone, watch, ale):
    theme = Theme.objects.create(slug="djur", name_sv="Djur", name_en="Animals", symbol="🐾")
    Book.objects.create(title="Hunden som flög", is_free_to_try=True).themes.add(theme)
    for url in ["/", "/books/", f"/themes/{theme.slug}/", "/books/free/", "/utan-lanekort/"]:
        phone.goto(url)
        phone.wait_for_load_state("load")
        watch.assert_none()


def test_the_watch_sees_a_blocked_inline_script(phone, watch, db):
    phone.goto("/")
    phone.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.body.append(script);
        }"""
    )
    phone.wait_for_function("window.cspViolations.length > 0")
    assert phone.evaluate("window.injected") is None
    assert watch.on_this_page()[0].startswith("script-src-elem blocked inline")
    assert watch.console and "Content Security Policy" in watch.console[0]


def log_in_staff(page, user, live_server) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def desktop(browser, live_server, close_browser_context):
    """Staff work at a desk: a 1280×900 window."""
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    close_browser_context(context)


def test_staff_use_the_admins_widgets_without_violations(
    desktop, live_server, coordinator, ale, ale_library
):
    watch = ViolationWatch(desktop)
    Theme.objects.create(slug="djur", name_sv="Djur", name_en="Animals", symbol="🐾")
    Contributor.objects.create(name="Astrid Lindgren")
    book = Book.objects.create(title="Pippi Långstrump")
    provider = LoginProvider.objects.create(library=ale_library)
    log_in_staff(desktop, coordinator, live_server)

    for url in [
        "/staff/",
        "/staff/catalogue/book/",
        "/staff/catalogue/cataloguechange/",
        "/staff/members/organisation/",
        f"/staff/members/organisation/{ale.pk}/member/",
        f"/staff/patrons/loginprovider/{provider.pk}/change/",
        "/api/v1/docs",
    ]:
        desktop.goto(url)
        desktop.wait_for_load_state("load")
        watch.assert_none(desktop)
    expect(desktop.locator(".swagger-ui .opblock").first).to_be_visible()  # the API docs render

    # Book: a contributor by autocomplete (select2), themes in the two-box selector.
    desktop.goto(f"/staff/catalogue/book/{book.pk}/change/")
    desktop.locator(".inline-group .add-row a").first.click()
    desktop.locator(".select2-selection:visible").first.click()
    desktop.keyboard.type("Astr")
    desktop.locator(".select2-results__option", has_text="Astrid Lindgren").click()
    desktop.locator("#id_themes_from option", has_text="Djur").dblclick()
    expect(desktop.locator("#id_themes_to option", has_text="Djur")).to_be_attached()
    watch.assert_none(desktop)

    # A new theme through the "+" popup lands in the selector when saved.
    with desktop.expect_popup() as popup_info:
        desktop.locator("#add_id_themes").click()
    popup = popup_info.value
    popup.fill("#id_slug", "rymden")
    popup.fill("#id_name_sv", "Rymden")
    popup.fill("#id_name_en", "Space")
    popup.fill("#id_symbol", "🚀")
    watch.assert_none(popup)
    popup.locator("input[name=_save]").click()
    popup.wait_for_event("close")
    expect(desktop.locator("#id_themes_to option", has_text="Rymden")).to_be_attached()
    watch.assert_none(desktop)

    # A membership's start date through the admin's calendar, in a new inline row.
    desktop.goto(f"/staff/members/organisation/{ale.pk}/change/")
    desktop.locator("#memberships-group .add-row a").click()
    start = desktop.locator("#memberships-group input[name$='-start_date']:visible").first
    desktop.locator(
        "#memberships-group tr:not(.empty-form) .field-start_date .datetimeshortcuts a"
    ).last.click()
    desktop.locator(".calendarbox:visible .calendar-shortcuts a").first.click()
    expect(start).not_to_have_value("")
    watch.assert_none(desktop)
