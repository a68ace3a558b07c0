"""The badges: what earns each one, in one list. Their pictures are SVG drawn in this app
(templates/motivation/_badge_art.html), never an emoji alone."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FACT_THEME = "fakta"  # catalogue.Theme slug of fact books


@dataclass(frozen=True)
class Badge:
    slug: str
    name: str
    text: str
    colour: str  # the medal's colour; the art is the same shape for all


@dataclass
class Reading:
    """What a child has read, as the badge rules need it."""

    finished: int = 0
    other_language: bool = False
    fact_book: bool = False
    picture_book: bool = False
    series_book: bool = False
    read_aloud: bool = False
    best_streak: int = 0
    challenges_completed: int = 0


BADGES = [
    Badge("first-book", _("First book"), _("You finished your first book!"), "#f4b400"),
    Badge("books-5", _("Five books"), _("You have read five books."), "#e8710a"),
    Badge("books-10", _("Ten books"), _("You have read ten books."), "#d93025"),
    Badge("books-25", _("25 books"), _("You have read 25 books. Wow!"), "#a142f4"),
    Badge(
        "other-language", _("World reader"), _("You read a book in another language."), "#12b5cb"
    ),
    Badge("fact-book", _("Fact finder"), _("You read a fact book."), "#188038"),
    Badge("picture-book", _("Picture lover"), _("You read a picture book."), "#e52592"),
    Badge("series-book", _("Series reader"), _("You finished a book in a series."), "#1a73e8"),
    Badge("seven-days", _("Seven days"), _("You read seven days in a row."), "#f29900"),
    Badge("read-aloud", _("Listener"), _("You finished a book that reads aloud."), "#9334e6"),
    Badge("challenge", _("Challenge done"), _("You completed a reading challenge."), "#137333"),
]
BY_SLUG = {badge.slug: badge for badge in BADGES}

RULES = {
    "first-book": lambda r: r.finished >= 1,
    "books-5": lambda r: r.finished >= 5,
    "books-10": lambda r: r.finished >= 10,
    "books-25": lambda r: r.finished >= 25,
    "other-language": lambda r: r.other_language,
    "fact-book": lambda r: r.fact_book,
    "picture-book": lambda r: r.picture_book,
    "series-book": lambda r: r.series_book,
    "seven-days": lambda r: r.best_streak >= 7,
    "read-aloud": lambda r: r.read_aloud,
    "challenge": lambda r: r.challenges_completed >= 1,
}


def earned(reading: Reading) -> list[str]:
    """The slugs of the badges this reading earns."""
    return [badge.slug for badge in BADGES if RULES[badge.slug](reading)]
