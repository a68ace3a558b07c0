"""Helpers for the reader's browser tests (not a test module)."""

import json
import time

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
    page.wait_for_selector("html[data-reader-ready='true']", state="attached", timeout=15_000)


def fraction(page) -> float:
    return float(page.evaluate("() => document.documentElement.dataset.readerFraction || '0'"))


def location(page) -> str:
    return page.evaluate("() => window.bibblixReader.view.lastLocation.cfi")


class AsyncPredicate(TypeError):
    """An async predicate was given to `wait_until` (use `wait_until_async`)."""


def wait_until(page, predicate: str, arg=None, timeout: float = 10_000) -> None:
    """Wait for a synchronous JavaScript arrow function to return true (a function, never a
    string to evaluate: the reader's CSP forbids eval, and Playwright honours it).

    Playwright's wait_for_function counts any truthy result as done, and a promise is truthy:
    an async predicate ended the wait at once, whatever it would have resolved to. So an async
    predicate raises AsyncPredicate here, and one that returns a promise fails the wait: use
    `wait_until_async`, which awaits it."""
    if predicate.lstrip().startswith("async"):
        raise AsyncPredicate(f"wait_until cannot await {predicate[:40]!r}: use wait_until_async")
    page.wait_for_function(
        f"""arg => {{
            const result = ({predicate})(arg)
            if (result && typeof result.then === 'function')
                throw new TypeError('wait_until: the predicate returned a promise; use wait_until_async')
            return result
        }}""",
        arg=arg,
        timeout=timeout,
        polling=100,
    )


def wait_until_async(page, predicate: str, arg=None, timeout: float = 10_000) -> None:
    """Wait for a JavaScript function, async or not, to resolve to a true value: each try is
    awaited in the page (page.evaluate awaits promises), every 100 ms until `timeout` ms.

    A navigation in between (the page reloads, a form posts) only costs that try. Raises
    Playwright's TimeoutError, like `wait_until`."""
    from playwright.sync_api import Error, TimeoutError

    deadline = time.monotonic() + timeout / 1000
    last = None
    while True:
        try:
            last = page.evaluate(predicate, arg)
            if last:
                return
        except Error as error:  # the page navigated while the predicate ran
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
            last = error
        if time.monotonic() >= deadline:
            raise TimeoutError(
                f"wait_until_async: {predicate[:60]!r} still {last!r} after {timeout} ms"
            )
        page.wait_for_timeout(100)


# A turn into a new chapter first shows the blank page at the old chapter's edge (and reports
# its fraction); the reader marks the page with data-reader-turning until the turn has ended.
SETTLED = "!document.documentElement.dataset.readerTurning"


# What the reader shows, for the message of a page-turn wait that timed out: a flaky turn
# says where it stopped (the fraction, a turn still marked, the paginator's page, the focus).
TURN_STATE = """() => {
    const view = window.bibblixReader?.view, renderer = view?.renderer
    const focused = document.activeElement
    return { fraction: document.documentElement.dataset.readerFraction,
             turning: document.documentElement.dataset.readerTurning ?? null,
             section: view?.lastLocation?.section?.current, page: renderer?.page,
             pages: renderer?.pages, cfi: view?.lastLocation?.cfi,
             focus: focused?.tagName + (focused?.id ? '#' + focused.id : '') }
}"""


def _wait_for_turn(page, predicate: str, value: float, timeout: float = 10_000) -> None:
    from playwright.sync_api import TimeoutError

    try:
        wait_until(page, predicate, value, timeout=timeout)
    except TimeoutError as error:
        state = page.evaluate(TURN_STATE)
        raise AssertionError(f"page turn not done ({predicate} with {value}): {state}") from error


def wait_past(page, value: float) -> None:
    """Wait until the page has turned past `value` and the turn has ended."""
    _wait_for_turn(
        page,
        f"v => {SETTLED} && Number(document.documentElement.dataset.readerFraction) > v",
        value,
    )


def wait_before(page, value: float) -> None:
    """Wait until the page has turned back before `value` and the turn has ended."""
    _wait_for_turn(
        page,
        f"v => {SETTLED} && Number(document.documentElement.dataset.readerFraction) < v",
        value,
    )


def turns_done(page) -> int:
    """How many page turns the reader has ended (data-reader-turns)."""
    return int(page.evaluate("() => Number(document.documentElement.dataset.readerTurns || 0)"))


def wait_for_turns(page, count: int, timeout: float = 10_000) -> None:
    """Wait until the reader has ended `count` page turns and none is under way.

    The reader counts each turn it was asked for (button, key, tap) when that turn has ended, so
    this waits for the turn itself. `wait_past`/`wait_before` infer a turn from the fraction,
    which also moves without one: a re-layout (a font arriving, the status line closing) puts
    the same text on another page number; and a tap's click reaches the page a moment after
    Playwright's tap() has returned."""
    _wait_for_turn(
        page,
        f"n => {SETTLED} && Number(document.documentElement.dataset.readerTurns || 0) >= n",
        count,
        timeout,
    )


def turn_page(page, action) -> None:
    """Turn the page with `action` (a button click, a key, a tap) and wait for that turn."""
    done = turns_done(page)
    action()
    wait_for_turns(page, done + 1)


# The reading order of the page on screen and `cfi`, by foliate-js's own CFI comparison: the
# text of the page, not its number or fraction, which change when the text is laid out again.
COMPARE_LOCATION = """async cfi => {
    const view = document.querySelector('link[rel=modulepreload][href*="foliate-js/view.js"]').href
    const { compare } = await import(new URL('epubcfi.js', view))
    return compare(window.bibblixReader.view.lastLocation.cfi, cfi)
}"""


def compare_location(page, cfi: str) -> int:
    """-1, 0 or 1: the page on screen starts before, at or after the start of `cfi`."""
    return page.evaluate(COMPARE_LOCATION, cfi)


SHOWS_LOCATOR = """cfi => {
    const view = window.bibblixReader.view
    const { index, anchor } = view.resolveNavigation(cfi)
    const shown = view.renderer.getContents()[0]
    if (shown.index !== index) return false
    const target = anchor(shown.doc)
    const start = target.startContainer ? target : shown.doc.createRange()
    if (!target.startContainer) start.selectNode(target)
    return view.lastLocation.range.isPointInRange(start.startContainer, start.startOffset)
}"""


def shows_locator(page, cfi: str) -> bool:
    """Whether the page on screen contains the start of `cfi` (layouts may differ a little)."""
    return page.evaluate(SHOWS_LOCATOR, cfi)


def fake_progress_api(context, store: dict) -> None:
    """Answer /api/v1/progress/<id> from `store`, as the lending API will."""

    def handle(route, request):
        if request.method == "PUT":
            body = json.loads(request.post_data)
            store["saved"] = {"updated_at": "2026-01-01T12:00:00+00:00", **body}
            store["puts"] = store.get("puts", 0) + 1
            return route.fulfill(status=200, json=store["saved"])
        if "saved" not in store:
            return route.fulfill(status=404, json={"detail": "Ingen läsposition"})
        return route.fulfill(status=200, json=store["saved"])

    context.route("**/api/v1/progress/*", handle)


# The spine indexes of the picture-book pages on screen, found without the reader's own
# bookkeeping: each visible page frame is matched to the section whose document has the same
# body (id and text).
SHOWN_PAGES = """async () => {
    const view = window.bibblixReader.view
    const key = doc => `${doc.body?.id ?? ''}|${(doc.body?.textContent ?? '').replace(/\\s+/g, ' ').trim()}`
    const sections = await Promise.all(view.book.sections.map(async s => key(await s.createDocument())))
    return view.renderer.getContents()
        .filter(({ doc }) => doc.defaultView?.frameElement?.checkVisibility())
        .map(({ doc }) => sections.indexOf(key(doc)))
}"""


def shown_pages(page) -> list[int]:
    """The numbers (from 1) of the picture-book pages on screen."""
    return [index + 1 for index in page.evaluate(SHOWN_PAGES)]
