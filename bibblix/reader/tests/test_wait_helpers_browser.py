"""The browser tests' wait helpers wait for real: a predicate that never comes true times out,
and an async predicate is awaited (never taken as true because a promise is truthy)."""

import pytest
from playwright.sync_api import Error, TimeoutError

from .browser_helpers import (
    AsyncPredicate,
    fraction,
    log_in,
    open_reader,
    turn_page,
    turns_done,
    wait_for_turns,
    wait_past,
    wait_until,
    wait_until_async,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# True 400 ms after the page starts the clock.
LATER = "() => window.readyAt !== undefined && performance.now() >= window.readyAt"
START_CLOCK = "() => { window.readyAt = performance.now() + 400 }"


@pytest.fixture
def blank(phone):
    phone.set_content("<!doctype html><title>wait</title><p>waiting</p>")
    return phone


def test_wait_until_times_out_on_a_predicate_that_never_comes_true(blank):
    with pytest.raises(TimeoutError):
        wait_until(blank, "() => false", timeout=500)


def test_wait_until_waits_for_a_predicate_that_comes_true(blank):
    blank.evaluate(START_CLOCK)
    wait_until(blank, LATER)
    assert blank.evaluate(LATER)


def test_wait_until_refuses_an_async_predicate(blank):
    # Playwright's wait_for_function alone passes at once here: the promise is truthy.
    blank.wait_for_function("async () => false", timeout=500)
    with pytest.raises(AsyncPredicate):
        wait_until(blank, "async () => false", timeout=500)
    # A plain function that returns a promise fails the wait too, instead of passing.
    with pytest.raises(Error, match="use wait_until_async"):
        wait_until(blank, "() => Promise.resolve(false)", timeout=500)


def test_wait_until_async_times_out_on_a_predicate_that_never_comes_true(blank):
    with pytest.raises(TimeoutError):
        wait_until_async(blank, "async () => false", timeout=500)
    with pytest.raises(TimeoutError):
        wait_until_async(
            blank, "() => new Promise(r => setTimeout(() => r(false), 50))", timeout=500
        )


def test_wait_until_async_awaits_the_predicate(blank):
    blank.evaluate(START_CLOCK)
    wait_until_async(
        blank, f"async () => {{ await new Promise(r => setTimeout(r, 10)); return ({LATER})() }}"
    )
    assert blank.evaluate(LATER)


def test_a_page_turn_wait_that_times_out_says_where_the_reader_stopped(
    phone, live_server, loan, patron_ale
):
    log_in(phone.context, live_server, patron_ale)
    open_reader(phone, loan.book_id)
    with pytest.raises(AssertionError, match="page turn not done") as failure:
        wait_past(phone, 1.0)  # no page is past the end of the book
    assert "'fraction'" in str(failure.value) and "'turning': None" in str(failure.value)


def test_a_re_layout_moves_the_fraction_without_a_turn_and_only_the_turn_wait_knows(
    tablet, live_server, loan, patron_ale
):
    """Why the page-turn test waits for the reader's count of turns: the same text on a taller
    or shorter page is on another page number, so the fraction moves without a turn (a font
    arriving, the status line or the browser's own bar coming and going), and a wait for the
    fraction ends on it."""
    log_in(tablet.context, live_server, patron_ale)
    open_reader(tablet, loan.book_id)
    for _ in range(3):
        turn_page(tablet, lambda: tablet.keyboard.press("ArrowRight"))
    done, before = turns_done(tablet), fraction(tablet)
    tablet.set_viewport_size({"width": 820, "height": 1060})
    wait_until(tablet, "f => Number(document.documentElement.dataset.readerFraction) < f", before)
    shorter = fraction(tablet)
    tablet.set_viewport_size({"width": 820, "height": 1180})
    wait_past(tablet, shorter)  # "the page turned forward": it did not
    assert fraction(tablet) == before and turns_done(tablet) == done
    with pytest.raises(AssertionError, match="page turn not done"):
        wait_for_turns(tablet, done + 1, timeout=1000)
