"""Reading-joy blocks for pages other apps own, each inserted with one line:
`{% load motivation %}{% home_joy %}`, `{% my_books_joy %}`, `{% book_joy book %}`."""

from django import template

from bibblix.motivation import services
from bibblix.motivation.badges import BY_SLUG

register = template.Library()
SHELF_SLOTS = 10  # a shelf row holds ten books; the next row starts when it is full


def _patron(context):
    return context.get("patron") or getattr(context.get("request"), "patron", None)


@register.inclusion_tag("motivation/_home_joy.html", takes_context=True)
def home_joy(context) -> dict:
    """The home page: new badges, the child's own shelf, their library's tips, a challenge."""
    patron = _patron(context)
    if patron is None:
        return {"patron": None}
    return {
        "patron": patron,
        "celebrate": services.unseen_badges(patron),
        "for_you": services.recommend(patron, limit=8),
        "tips": services.library_tips(patron.library_id, limit=8),
        "challenge": services.open_challenges(patron).first(),
        "challenge_badge": BY_SLUG["challenge"],
    }


@register.inclusion_tag("motivation/_my_books_joy.html", takes_context=True)
def my_books_joy(context) -> dict:
    """Mina böcker: the week strip, the bookshelf that fills up, badges and challenges."""
    patron = _patron(context)
    if patron is None:
        return {"patron": None}
    log = services.reading_log(patron)
    filled = log["books_finished"]
    rows = max(1, -(-filled // SHELF_SLOTS))
    slots = [i < filled for i in range(rows * SHELF_SLOTS)]
    return {
        "patron": patron,
        "log": log,
        "shelf_rows": [slots[i : i + SHELF_SLOTS] for i in range(0, len(slots), SHELF_SLOTS)],
        "celebrate": services.unseen_badges(patron),
        "earned": [row for row in services.badges_of(patron) if row["award"]],
    }


@register.inclusion_tag("motivation/_book_joy.html", takes_context=True)
def book_joy(context, book) -> dict:
    """The book page: the three faces (after finishing), the totals, "Om du gillade den här"."""
    patron = _patron(context)
    finished = False
    mine = None
    celebrate = []
    if patron is not None:
        mine = services.rating_of(patron, book.pk)
        finished = services.has_finished(patron, book.pk)
        celebrate = services.unseen_badges(patron)
    return {
        "patron": patron,
        "book": book,
        "finished": finished,
        "mine": mine,
        "totals": services.rating_totals(book.pk),
        "liked": services.book_recommendations(book, patron) if patron is not None else [],
        "celebrate": celebrate,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("motivation/_badge_art.html")
def badge_art(badge, earned: bool = True, size: str = "") -> dict:
    """A badge's SVG picture (greyed while not earned)."""
    return {"badge": badge, "earned": earned, "size": size}


@register.inclusion_tag("motivation/_face.html")
def face(value: int) -> dict:
    return {"value": value}
