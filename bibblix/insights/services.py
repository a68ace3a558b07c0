"""Public functions of insights: usage figures for dashboards and the status report.

Figures come from the roll-ups of the anonymous usage log (`rollup`); everything a caller shows
outside the association is suppressed here (`suppression`), never in a template. Insights
reads other apps only through their services; nothing imports insights.
"""

import datetime

from django.conf.locale import LANG_INFO
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import figures, rollup
from .models import NATIONAL
from .rollup import fill, roll_up  # noqa: F401  (re-exported: the roll-up job's verbs)
from .suppression import SMALL, hidden_beyond_small, is_small, suppress_cells, suppress_value

# Figures summed over a period, in the order dashboards and the report show them.
TOTAL_METRICS = ("loans", "reading_minutes", "pages", "books_finished", "new_readers")
TREND_METRICS = ("loans", "active_readers_month", "reading_minutes", "books_finished")
METRIC_LABELS = {
    "loans": _("Loans"),
    "active_readers_month": _("Active readers per month"),
    "active_readers": _("Active readers per day"),
    "reading_minutes": _("Reading minutes"),
    "pages": _("Pages read"),
    "books_finished": _("Books finished"),
    "new_readers": _("New readers"),
    "holds_placed": _("Holds placed"),
    "logins": _("Logins"),
    "login_failures": _("Refused logins"),
    "login_timeouts": _("Library system did not answer"),
}
TOP_BOOKS = 10
TOP_BOOKS_SECONDS = 24 * 60 * 60  # a new roll-up replaces them sooner (its version)


def _scope(municipality_id: int | None) -> int:
    return NATIONAL if municipality_id is None else municipality_id


def _per_1000(count: int | None, population: int | None) -> float | None:
    if count is None or not population:
        return None
    return round(count * 1000 / population, 1)


def monthly_trend(
    metric: str,
    start: datetime.date,
    end: datetime.date,
    *,
    municipality_id: int | None = None,
    for_association: bool,
) -> list[tuple[datetime.date, int | None]]:
    """The metric per month (first day, value) over start..end; outside the association small
    months are hidden with their complements, as the months add up to a total shown beside."""
    months = figures.by_month(metric, start, end, _scope(municipality_id))
    shown = suppress_cells(months, for_association=for_association)
    return sorted(shown.items())


def _population(municipality_ids) -> int:
    from bibblix.members import services as members

    rows = members.municipalities(municipality_ids).values_list("population", flat=True)
    return sum(population or 0 for population in rows)


def _named(cells: dict[str, int | None], names: dict) -> list[tuple]:
    """(key, name, value) largest first, hidden values last."""
    rows = [(key, names.get(key, key), value) for key, value in cells.items()]
    return sorted(rows, key=lambda row: (row[2] is None, -(row[2] or 0), str(row[1])))


def _split(metric, dimension, start, end, scope, for_association) -> dict[str, int | None]:
    cells = figures.by_key(metric, dimension, start, end, scope)
    return suppress_cells(cells, for_association=for_association)


def _language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return info["name_local"].capitalize() if info else code


def _top_books(start, end, scope: int, for_association: bool) -> list[tuple]:
    """The TOP_BOOKS most borrowed books (key, key, loans or None), kept in the shared cache
    until the next roll-up (`rollup.figures_version`). A calendar year (what the dashboards
    show) reads the year's largest totals per book in index order (`figures.whole_year`);
    another period sums every book's monthly rows of the period (700,000 national rows for a
    year at 100,000 books, over a second)."""
    key = (
        f"insights:top-books:{rollup.figures_version()}:{scope}:{start.isoformat()}:"
        f"{end.isoformat()}:{int(for_association)}"
    )
    top = cache.get(key)
    if top is None:
        year = figures.whole_year("loans", "book", start, end, scope)
        if year is not None:
            top = _top_of_year("loans", "book", year, scope, for_association)
        else:
            books = _split("loans", "book", start, end, scope, for_association)
            # Suppressed over every book (the list would otherwise be the rest of the total),
            # then the largest.
            top = _named(books, {})[:TOP_BOOKS]
        cache.set(key, top, TOP_BOOKS_SECONDS)
    return top


def _top_of_year(metric, dimension, year: int, scope: int, for_association: bool) -> list[tuple]:
    """What `_named(_split(...))[:TOP_BOOKS]` gives for a whole year, from its year totals
    without reading them all. Suppression over every key hides the small totals and at most one
    more, the smallest of the rest by (value, key) (`hidden_beyond_small`); all of them are
    smaller than any total shown, so the largest totals (with their ties) hold every key shown.
    That one more matters only if it is among them, and then so are all totals of its value;
    the hidden keys, listed last by key, are read only when fewer than TOP_BOOKS are shown."""
    largest = figures.largest_of_year(metric, dimension, year, scope, TOP_BOOKS)
    hidden: set[str] = set()
    if not for_association:
        hidden = {key for key, value in largest if is_small(value)}
        smallest = figures.smallest_of_year(metric, dimension, year, scope, SMALL)
        if any(value == smallest for _key, value in largest):
            count, total = figures.year_totals_between(metric, dimension, year, scope, 1, SMALL - 1)
            if hidden_beyond_small(count, total):
                hidden.add(min((key for key, value in largest if value == smallest), key=str))
    shown = sorted(
        ((key, value) for key, value in largest if key not in hidden),
        key=lambda row: (-row[1], str(row[0])),
    )[:TOP_BOOKS]
    top = [(key, key, value) for key, value in shown]
    if len(top) < TOP_BOOKS and hidden:
        hidden |= set(figures.keys_of_year(metric, dimension, year, scope, 1, SMALL - 1))
        top += [(key, key, None) for key in sorted(hidden, key=str)[: TOP_BOOKS - len(top)]]
    return top


def warm_top_books(today: datetime.date | None = None) -> None:
    """Build the national dashboards' top books of this year (the dashboards' default period,
    for the association and with suppression) after a roll-up, so that no visitor pays the sum."""
    from .dashboard import period_of_year

    today = today or timezone.localdate()
    # The year of the last counted day (on 1 January, the year that just ended).
    start, end = period_of_year((today - datetime.timedelta(days=1)).year, today)
    if start <= end:
        for for_association in (True, False):
            _top_books(start, end, NATIONAL, for_association)


def _tables(start, end, scope: int, for_association: bool) -> dict:
    from bibblix.catalogue import services as catalogue

    top = _top_books(start, end, scope, for_association)
    titles = catalogue.book_titles(int(key) for key, _name, _value in top)
    top = [(key, titles.get(int(key), key), value) for key, _name, value in top]
    themes = _split("loans", "theme", start, end, scope, for_association)
    theme_names = catalogue.theme_names(int(key) for key in themes)
    languages = _split("loans", "language", start, end, scope, for_association)
    return {
        "top_books": top,
        "themes": _named(themes, {str(k): v for k, v in theme_names.items()}),
        "languages": _named(languages, {code: _language_name(code) for code in languages}),
        "age_bands": sorted(
            _split("loans", "age_band", start, end, scope, for_association).items()
        ),
    }


def _summary(start, end, scope: int, population: int, for_association: bool) -> dict:
    totals = {
        metric: suppress_value(
            figures.total(metric, start, end, scope), for_association=for_association
        )
        for metric in TOTAL_METRICS
    }
    readers = figures.by_month("active_readers_month", start, end, scope)
    readers_total = sum(readers.values())
    readers_shown = suppress_cells(readers, for_association=for_association)
    # The average times the months is the total: hidden when a month is, like the total.
    hidden_month = any(value is None for value in readers_shown.values())
    average = None if hidden_month else round(readers_total / max(1, len(readers)))
    return {
        "totals": totals,
        "active_readers_per_month": suppress_value(average, for_association=for_association),
        "population": population or None,
        "loans_per_1000": _per_1000(totals["loans"], population),
        "active_readers_per_1000": _per_1000(
            suppress_value(average, for_association=for_association), population
        ),
        "books_finished_per_1000": _per_1000(totals["books_finished"], population),
    }


def usage_figures(
    start: datetime.date,
    end: datetime.date,
    *,
    municipality_id: int | None = None,
    for_association: bool,
) -> dict:
    """Usage over start..end for one municipality (or the whole country): totals, per-capita
    rates, monthly trends, top books, languages, themes and age bands; with a municipality also
    the national figures to compare with. Suppressed unless `for_association`."""
    scope = _scope(municipality_id)
    loans_by_municipality = figures.by_municipality("loans", start, end)
    active = list(loans_by_municipality)
    ids = [municipality_id] if municipality_id is not None else active
    result = {
        "start": start,
        "end": end,
        "municipality_id": municipality_id,
        "for_association": for_association,
        "months": figures.months_between(start, end),
        **_summary(start, end, scope, _population(ids), for_association),
        "trend": {
            metric: monthly_trend(
                metric, start, end, municipality_id=municipality_id, for_association=for_association
            )
            for metric in TREND_METRICS
        },
        **_tables(start, end, scope, for_association),
    }
    if municipality_id is not None:
        result["national"] = _summary(start, end, NATIONAL, _population(active), for_association)
    elif for_association:
        result["loans_by_municipality"] = loans_by_municipality
    return result


def municipality_comparison(
    start: datetime.date, end: datetime.date, loans: dict[int, int] | None = None
) -> list[dict]:
    """Loans and loans per 1,000 inhabitants per municipality (the association only: it lists
    every municipality's exact figures); `loans` per municipality id if already counted."""
    from bibblix.members import services as members

    loans = figures.by_municipality("loans", start, end) if loans is None else loans
    finished = figures.by_municipality("books_finished", start, end)
    rows = []
    for organisation in members.municipalities(loans.keys()):
        count = loans.get(organisation.pk, 0)
        rows.append(
            {
                "municipality_id": organisation.pk,
                "name": organisation.name,
                "population": organisation.population,
                "loans": count,
                "loans_per_1000": _per_1000(count, organisation.population),
                "books_finished": finished.get(organisation.pk, 0),
            }
        )
    return sorted(rows, key=lambda row: -(row["loans_per_1000"] or 0))


def library_activity(since: datetime.date) -> dict[int, dict]:
    """Per library id: logins, refused logins and library-system timeouts from `since` on, and
    the last day anyone logged in (for the association's review of libraries; not suppressed)."""
    logins = figures.library_rows("logins", since)
    failures = figures.library_rows("login_failures", since)
    timeouts = figures.library_rows("login_timeouts", since)
    last = figures.last_login_days()
    return {
        library_id: {
            "logins": logins.get(library_id, 0),
            "login_failures": failures.get(library_id, 0),
            "timeouts": timeouts.get(library_id, 0),
            "last_login": last.get(library_id),
        }
        for library_id in sorted(set(logins) | set(failures) | set(timeouts) | set(last))
    }
