"""Bounds for what callers send: ids that fit the database's 64-bit integers, and text that
SQLite, PostgreSQL, lxml and SIP2 can all carry (no NUL, no lone surrogate), with a length limit.

Used by the JSON API's schemas (a 422 in ninja's error shape) and by the pages and feeds that
read query strings (a 400). Nothing is cleaned: input outside the bounds is refused.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, Field

MAX_DB_INT = 2**63 - 1
# A page number beyond this is no page of any listing we have (24 books a page).
MAX_PAGE = 100_000

Id = Annotated[int, Field(ge=1, le=MAX_DB_INT)]


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored or sent as text, or None when it can."""
    if "\x00" in value:
        return "text must not contain NUL"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "text must be valid Unicode (no lone surrogates)"
    return None


# Characters XML 1.0 cannot carry at all (section 2.2), so lxml refuses them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text_problem(value: str) -> str | None:
    """Why `value` cannot go into an XML document (lxml), or None when it can."""
    if _NOT_XML.search(value):
        return "text must not contain control characters"
    return text_problem(value)


def _valid_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def Text(max_length: int):  # noqa: N802  (reads as a type in schemas: `locator: Text(2000)`)
    """A string type for schemas: at most `max_length` characters, no NUL or lone surrogate."""
    return Annotated[str, Field(max_length=max_length), AfterValidator(_valid_text)]


def page_number(raw: str | None) -> int | None:
    """A page number from a query string: 1 when absent, None when it is no page number."""
    if raw in (None, ""):
        return 1
    if not raw.isascii() or not raw.isdigit() or len(raw) > 7:
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_PAGE else None
