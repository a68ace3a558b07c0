"""Feeds cost the same number of queries for 3 books as for a full page (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .helpers import make_book, make_theme

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/opds/v2/books", "/opds/v1/books", "/opds/v2/themes/djur"])
def test_feed_queries_do_not_grow_with_the_books(client, url):
    theme = make_theme()
    for number in range(3):
        make_book(f"Bok {number}", themes=[theme])
    few = queries_for(client, url)
    for number in range(3, 30):
        make_book(f"Bok {number}", themes=[theme], language="en" if number % 2 else "sv")
    assert queries_for(client, url) == few
    assert few <= 10
