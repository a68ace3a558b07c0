"""Which books a feed lists: the listing (all, new, free to try, a theme, a search), the facets
(age band, language, easy to read) and the page. Both OPDS versions share this, so the Atom and
the JSON catalogues always list the same books in the same order."""

import math
import re
from dataclasses import dataclass, field, replace

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bibblix.catalogue import services
from bibblix.catalogue.models import LISTING_ORDER, Book, Theme

PAGE_SIZE = 50
# The two age bands children's libraries shelve by; a book for 7–11 is in both.
AGE_BANDS = {"6-9": (6, 9), "9-12": (9, 12)}
LANGUAGE_NAMES = {
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "fi": "Suomi",
    "so": "Soomaali",
}


_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,4})?")


@dataclass(frozen=True)
class Facets:
    """The facets a reader app has chosen; None means "all"."""

    age: str | None = None
    language: str | None = None
    easy: bool | None = None

    @classmethod
    def from_query(cls, params) -> "Facets":
        age = params.get("age")
        language = (params.get("language") or "").strip().lower()[:8]
        # A language code is letters and dashes; anything else (a NUL, say) is no facet.
        if not _LANGUAGE.fullmatch(language):
            language = ""
        easy = {"1": True, "0": False}.get(params.get("easy", ""))
        return cls(age=age if age in AGE_BANDS else None, language=language or None, easy=easy)

    def as_query(self) -> dict[str, str]:
        query = {}
        if self.age:
            query["age"] = self.age
        if self.language:
            query["language"] = self.language
        if self.easy is not None:
            query["easy"] = "1" if self.easy else "0"
        return query


@dataclass
class FacetLink:
    title: str
    facets: Facets
    count: int
    is_active: bool


@dataclass
class FacetGroup:
    title: str
    links: list[FacetLink] = field(default_factory=list)


@dataclass
class Listing:
    """One list of books: `path` is relative to the catalogue root (e.g. "themes/djur")."""

    path: str
    title: str
    books: QuerySet[Book]
    query: str = ""

    def filtered(self, facets: Facets) -> QuerySet[Book]:
        return apply_facets(self.books, facets)


@dataclass
class Page:
    listing: Listing
    facets: Facets
    number: int
    total: int
    books: list[Book]

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.total / PAGE_SIZE))


def apply_facets(books: QuerySet[Book], facets: Facets) -> QuerySet[Book]:
    if facets.age:
        books = books.filter(_in_band(*AGE_BANDS[facets.age]))
    if facets.language:
        books = books.filter(language=facets.language)
    if facets.easy is not None:
        books = books.filter(is_easy_to_read=facets.easy)
    return books


def _in_band(low: int, high: int) -> Q:
    """A book is in an age band when their ranges share more than the boundary year (a 6–9
    book is not a 9–12 book), or when the book's range lies inside the band (a book for 9)."""
    return Q(age_min__lt=high, age_max__gt=low) | Q(age_min__gte=low, age_max__lte=high)


def _ordered(books: QuerySet[Book]) -> QuerySet[Book]:
    # Featured books first, as on the children's pages.
    return books.order_by(*LISTING_ORDER)


def all_books() -> Listing:
    return Listing("books", _("All books"), _ordered(services.children_books()))


def new_books() -> Listing:
    books = services.children_books().order_by("-created_at", "-pk")
    return Listing("new", _("New books"), books)


def free_books() -> Listing:
    books = _ordered(services.children_books().filter(is_free_to_try=True))
    return Listing("free", _("Free to try"), books)


def theme_books(theme: Theme) -> Listing:
    books = _ordered(services.children_books().filter(themes=theme))
    return Listing(f"themes/{theme.slug}", theme_title(theme), books)


def theme_name(theme: Theme) -> str:
    return theme.name_for(get_language() or "sv")


def theme_title(theme: Theme) -> str:
    """The symbol first, for children who read little yet."""
    return f"{theme.symbol} {theme_name(theme)}".strip()


def search_books(query: str) -> Listing:
    books = services.search(query, services.SearchFilters())
    title = _("Search: %(query)s") % {"query": query} if query else _("Search")
    return Listing("search", title, books, query=query)


def themes() -> list[Theme]:
    return list(services.children_themes())


def page_of(listing: Listing, facets: Facets, number: int) -> Page:
    """One page of a listing with facets applied; contributors and themes come in two queries."""
    books = listing.filtered(facets)
    total = books.count()
    number = max(1, min(number, max(1, math.ceil(total / PAGE_SIZE))))
    start = (number - 1) * PAGE_SIZE
    rows = list(
        books.prefetch_related("book_contributors__contributor", "themes")[
            start : start + PAGE_SIZE
        ]
    )
    return Page(listing, facets, number, total, rows)


def facet_groups(listing: Listing, facets: Facets) -> list[FacetGroup]:
    """Each facet group's choices with counts; a count applies the other groups' choices, so the
    number is what the child gets by choosing that link."""
    groups = [
        _age_group(listing, facets),
        _language_group(listing, facets),
        _easy_group(listing, facets),
    ]
    return [group for group in groups if len(group.links) > 1]


def _all_link(facets: Facets, chosen, count: int) -> FacetLink:
    return FacetLink(_("All"), facets, count, is_active=chosen is None)


def _age_group(listing: Listing, facets: Facets) -> FacetGroup:
    base = listing.filtered(replace(facets, age=None))
    counts = base.aggregate(
        total=Count("pk"),
        **{
            band: Count("pk", filter=_in_band(low, high)) for band, (low, high) in AGE_BANDS.items()
        },
    )
    group = FacetGroup(
        _("Age"), [_all_link(replace(facets, age=None), facets.age, counts["total"])]
    )
    for band in AGE_BANDS:
        title = _("%(band)s years") % {"band": band.replace("-", "–")}
        group.links.append(
            FacetLink(title, replace(facets, age=band), counts[band], facets.age == band)
        )
    return group


def _language_group(listing: Listing, facets: Facets) -> FacetGroup:
    base = listing.filtered(replace(facets, language=None))
    rows = base.order_by().values("language").annotate(n=Count("pk")).order_by("-n", "language")
    rows = list(rows)
    total = sum(row["n"] for row in rows)
    group = FacetGroup(
        _("Language"), [_all_link(replace(facets, language=None), facets.language, total)]
    )
    for row in rows:
        code = row["language"]
        title = LANGUAGE_NAMES.get(code, code)
        group.links.append(
            FacetLink(title, replace(facets, language=code), row["n"], facets.language == code)
        )
    return group


def _easy_group(listing: Listing, facets: Facets) -> FacetGroup:
    base = listing.filtered(replace(facets, easy=None))
    counts = base.aggregate(total=Count("pk"), easy=Count("pk", filter=Q(is_easy_to_read=True)))
    group = FacetGroup(
        _("Easy to read"), [_all_link(replace(facets, easy=None), facets.easy, counts["total"])]
    )
    group.links.append(
        FacetLink(
            _("Easy to read"), replace(facets, easy=True), counts["easy"], facets.easy is True
        )
    )
    return group


def last_modified(books: QuerySet[Book]):
    """When anything in a list last changed (for Last-Modified and the Atom `updated`)."""
    return books.order_by().aggregate(latest=Max("updated_at"))["latest"]
