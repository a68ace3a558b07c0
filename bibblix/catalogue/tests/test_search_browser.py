import pytest

from .builders import make_book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def axe_violations(page) -> list[str]:
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}))
             .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"""
    )


def test_child_on_a_phone_finds_a_book_with_a_typo_as_they_type(phone):
    book = make_book(
        "Pippi Långstrump",
        authors=("Astrid Lindgren",),
        description="Världens starkaste flicka.",
    )
    make_book("Emil i Lönneberga", authors=("Astrid Lindgren",))
    make_book("Draken som åt glass")
    phone.goto("/")
    phone.get_by_role("link", name="Sök").first.tap()
    search_box = phone.get_by_label("Sök efter en bok")
    search_box.press_sequentially("pipi långstr", delay=40)  # a typo: "pipi"
    results = phone.locator("#search-results")
    results.get_by_text("1 bok hittades").wait_for()
    assert results.get_by_text("Draken som åt glass").count() == 0
    assert "q=pipi" in phone.url  # the address follows, so "back" returns to the results
    results.get_by_role("link", name="Pippi Långstrump").tap()
    phone.wait_for_url(f"**/books/{book.pk}/")
    assert phone.get_by_role("heading", name="Pippi Långstrump").is_visible()
    assert phone.get_by_text("Världens starkaste flicka.").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_theme_tiles_are_big_enough_to_tap(phone):
    from .builders import make_theme

    make_book("Pippi Långstrump", themes=[make_theme("djur", "Djur", "🐾")])
    phone.goto("/books/")
    tile = phone.get_by_role("link", name="Djur", exact=True)
    # An icon from the app's own set beside the word (not an emoji from the device's font).
    icon = tile.locator(".theme-symbol svg.icon use")
    assert icon.get_attribute("href").endswith("icons.svg#paw-print")
    assert tile.locator(".theme-symbol svg").bounding_box()["width"] >= 24
    box = tile.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44
    tile.tap()
    phone.wait_for_url("**/themes/djur/")
    assert phone.get_by_role("heading", name="Djur").is_visible()


def test_a_search_that_finds_nothing_offers_did_you_mean_and_tips(phone):
    make_book("Rymdraketen på månen", authors=("Alva Berg",))
    make_book("Veckans bok", is_featured=True)
    phone.goto("/search/?q=rumdrakkettten")
    results = phone.locator("#search-results")
    assert results.get_by_text("Menade du").is_visible()
    assert results.get_by_role("heading", name="Populärt hos andra barn").is_visible()
    assert axe_violations(phone) == []
    results.get_by_role("link", name="rymdraketen").tap()
    results.get_by_role("link", name="Rymdraketen på månen").wait_for()
