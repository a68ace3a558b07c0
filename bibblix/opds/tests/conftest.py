"""Fixtures of the OPDS tests that borrow (the builders are plain functions in helpers.py)."""

import pytest

from .helpers import licensed_book


@pytest.fixture
def book(db):
    return licensed_book("Alla tiders bok")
