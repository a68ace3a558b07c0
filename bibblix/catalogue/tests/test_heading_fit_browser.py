"""Children's theme and shelf pages on a phone (390×844) at 200 % text: a long Swedish heading
("Sommarläsningsäventyr") stays inside its box and breaks, if it must, only between words or at
a hyphenation point (shown with a hyphen), never in the middle of a syllable ("Sommarläs|ning")."""

import os

import pytest
from django.urls import reverse

from bibblix.catalogue.models import Shelf, ShelfEntry

from .builders import make_book, make_theme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = os.environ.get("BIBBLIX_SCREENSHOTS")  # a folder to keep screenshots in, if set

# For every heading in <main>: how far it sticks out of its box, and the places where a line
# ends inside a word without a (soft) hyphen there.
HEADING_FIT = r"""() => [...document.querySelectorAll('main h1, main h2')].map(h => {
  const bad = [];
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  let top = null, before = '', text = '';  // line of the last drawn letter, letter before
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const char = node.data[i];
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      // An unbroken soft hyphen, or a space at a line's end, is not drawn.
      // (the letter after a break may also get an empty box at the end of the line before)
      const rect = [...range.getClientRects()].filter(r => r.width > 0).pop();
      if (rect) {
        if (top !== null && rect.top > top + rect.height / 2 && !/\s/.test(char)
            && !/[\s\u00ad-]/.test(before)) {
          bad.push(text.slice(-6) + '|' + node.data.slice(i, i + 6));
        }
        top = rect.top;
      }
      before = char; text += char;
    }
  }
  const box = h.getBoundingClientRect();
  return {text: h.textContent.trim(), overflow: h.scrollWidth - h.clientWidth,
          outside: Math.max(0, box.right - document.documentElement.clientWidth), bad};
})"""


def check_headings(phone, label: str) -> None:
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/{label}-200.png")
    headings = phone.evaluate(HEADING_FIT)
    assert headings, "no heading on the page"
    for heading in headings:
        assert heading["overflow"] <= 1 and heading["outside"] <= 1, heading
        assert not heading["bad"], f"broken inside a syllable: {heading}"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("name", ["Sommarläsning", "Sommarläsningsäventyr"])
def test_a_long_shelf_name_fits_a_phone_at_200_percent_text(phone, name):
    shelf = Shelf.objects.create(slug="sommar", name=name, description="Böcker för hängmattan.")
    ShelfEntry.objects.create(shelf=shelf, book=make_book("Ö-boken"), position=0)
    phone.goto(reverse("shelf", args=[shelf.pk]))
    assert phone.get_by_role("heading", level=1, name=name).is_visible()
    check_headings(phone, f"shelf-{name}")


def test_a_long_theme_name_fits_a_phone_at_200_percent_text(phone):
    theme = make_theme("aventyr", "Sommarlovsäventyrsböcker", "🏕")
    make_book("Ö-boken", themes=[theme])
    phone.goto("/themes/aventyr/")
    assert phone.get_by_role("heading", level=1, name="Sommarlovsäventyrsböcker").is_visible()
    check_headings(phone, "theme")
    # Its row on /books/ (an h2 beside "Visa alla") too.
    phone.goto("/books/")
    assert phone.get_by_role("heading", level=2, name="Sommarlovsäventyrsböcker").is_visible()
    check_headings(phone, "books")
