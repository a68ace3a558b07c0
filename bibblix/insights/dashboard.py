"""The dashboards' tables, built once from the (already suppressed) figures: the page, its
charts, and the CSV and XLSX downloads all show these same cells.

Who may see what is decided in one place, `scope_for_staff`: the association's staff (and the
economy role) see the whole country and any municipality, exact; a municipality's staff see
their own municipality (suppressed) beside the national average, and nothing else.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services

VIEW_PERMISSION = "insights.view_dailycount"


@dataclass
class Table:
    """One table (and its chart): `rows` are (row header, [cell values]); None = hidden."""

    slug: str
    caption: str
    columns: list[str]
    rows: list[tuple[str, list]] = field(default_factory=list)
    chart: str = "bar"  # "bar", "line", "hbar" (horizontal bars) or "" for no chart
    chart_columns: tuple[int, ...] = (0,)  # which value columns the chart draws
    note: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True)
class Scope:
    municipality_id: int | None  # None: the whole country
    for_association: bool
    name: str


def scope_for_staff(user, municipality_id: int | None) -> Scope:
    """What `user` may see of the dashboard for `municipality_id` (None: national): raises
    PermissionDenied without the insights view permission, Http404 for another municipality."""
    from bibblix.members import services as members

    if not (user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)):
        raise PermissionDenied
    if members.is_limited_staff(user):
        own = members.staff_municipality_id(user)
        if own is None or municipality_id != own:
            raise Http404
        return Scope(own, False, members.get_member_for_staff(user, own).name)
    if municipality_id is None:
        return Scope(None, True, _("Whole country"))
    organisation = members.municipalities([municipality_id]).first()
    if organisation is None:
        raise Http404
    return Scope(municipality_id, True, organisation.name)


def period_of_year(year: int, today: datetime.date | None = None) -> tuple:
    """The year's first day and its last counted day (the roll-ups reach yesterday)."""
    today = today or timezone.localdate()
    end = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
    return datetime.date(year, 1, 1), end


def _month_label(month: datetime.date) -> str:
    return formats.date_format(month, "M Y")


def _trend_table(result: dict) -> Table:
    metrics = services.TREND_METRICS
    trends = [dict(result["trend"][metric]) for metric in metrics]
    return Table(
        slug="trend",
        caption=_("Per month"),
        columns=[str(services.METRIC_LABELS[metric]) for metric in metrics],
        rows=[
            (_month_label(month), [trend.get(month) for trend in trends])
            for month in result["months"]
        ],
        chart="line",
        chart_columns=(0, 1),
    )


def _split_table(slug: str, caption: str, rows: list, chart: str = "hbar") -> Table:
    return Table(
        slug, caption, [_("Loans")], [(str(name), [value]) for _key, name, value in rows], chart
    )


def _comparison_table(result: dict, scope: Scope) -> Table:
    if scope.municipality_id is None:
        rows = services.municipality_comparison(
            result["start"], result["end"], result.get("loans_by_municipality")
        )
        return Table(
            slug="comparison",
            caption=_("Loans per 1,000 inhabitants per municipality"),
            columns=[_("Inhabitants"), _("Loans"), _("Loans per 1,000 inhabitants")],
            rows=[
                (row["name"], [row["population"], row["loans"], row["loans_per_1000"]])
                for row in rows
            ],
            chart="hbar",
            chart_columns=(2,),
        )
    national = result["national"]
    return Table(
        slug="comparison",
        caption=_("Per 1,000 inhabitants, compared with the whole country"),
        columns=[scope.name, _("Whole country")],
        rows=[
            (_("Loans"), [result["loans_per_1000"], national["loans_per_1000"]]),
            (
                _("Active readers per month"),
                [result["active_readers_per_1000"], national["active_readers_per_1000"]],
            ),
            (
                _("Books finished"),
                [result["books_finished_per_1000"], national["books_finished_per_1000"]],
            ),
        ],
        chart="bar",
        chart_columns=(0, 1),
    )


KEY_FIGURES = (
    ("loans", gettext_lazy("Loans")),
    ("active_readers_per_month", gettext_lazy("Active readers per month (average)")),
    ("reading_minutes", gettext_lazy("Reading minutes")),
    ("pages", gettext_lazy("Pages read")),
    ("books_finished", gettext_lazy("Books finished")),
    ("new_readers", gettext_lazy("New readers")),
    ("loans_per_1000", gettext_lazy("Loans per 1,000 inhabitants")),
)


def key_figures(result: dict) -> list[tuple[str, object]]:
    """(label, value) of the headline figures; None = hidden."""
    values = {**result["totals"], **result}
    return [(str(label), values.get(name)) for name, label in KEY_FIGURES]


def build(scope: Scope, start: datetime.date, end: datetime.date) -> dict:
    """Everything a dashboard shows for `scope` over start..end."""
    result = services.usage_figures(
        start, end, municipality_id=scope.municipality_id, for_association=scope.for_association
    )
    tables = [
        _trend_table(result),
        _comparison_table(result, scope),
        _split_table("books", _("Most borrowed books"), result["top_books"]),
        _split_table("languages", _("Loans by language of the book"), result["languages"]),
        _split_table("themes", _("Loans by theme"), result["themes"]),
        _split_table(
            "age_bands",
            _("Loans by age band of the book"),
            [(band, band, value) for band, value in result["age_bands"]],
            chart="bar",
        ),
    ]
    return {"figures": result, "key_figures": key_figures(result), "tables": tables}


def table(tables: list[Table], slug: str) -> Table:
    found = next((t for t in tables if t.slug == slug), None)
    if found is None:
        raise Http404
    return found
