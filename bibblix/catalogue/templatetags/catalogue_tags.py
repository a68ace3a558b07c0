from django import template

from bibblix.catalogue import services
from bibblix.lib import languages

register = template.Library()


@register.simple_tag
def children_shelves(patron=None, limit: int = 8) -> list:
    """(shelf, books) for the national shelves and the child's municipality's own shelves.
    The patron comes from the page context, so the catalogue needs no import of patrons."""
    municipality = getattr(patron, "municipality", None)
    rows = []
    for shelf in services.shelves_for(municipality):
        books = services.shelf_books(shelf, limit=limit)
        if books:
            rows.append((shelf, books))
    return rows


@register.filter
def language_name(code: str) -> str:
    """The name of a book's language in the page's language; never fails on an odd code."""
    return languages.language_name(code)
