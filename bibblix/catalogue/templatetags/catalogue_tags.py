from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


@register.filter
def reading_time(minutes) -> str:
    """ "About 2 hours 5 minutes": a child (and a parent) reads hours better than 125 minutes."""
    try:
        total = int(minutes)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(max(total, 1), 60)
    hour_text = ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minute_text = ngettext("%(count)d minute", "%(count)d minutes", rest) % {"count": rest}
    if not hours:
        return _("About %(time)s") % {"time": minute_text}
    if not rest:
        return _("About %(time)s") % {"time": hour_text}
    return _("About %(hours)s %(minutes)s") % {"hours": hour_text, "minutes": minute_text}
