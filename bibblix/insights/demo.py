"""Demo statistics: two years of generated anonymous usage across the connected demo
municipalities, written straight into the usage log and rolled up, so that the dashboards and the
status report have something to show after `make run`.

Generated, not real: a seeded random walk with more reading in the school year and on weekday
afternoons, loans in proportion to each municipality's population, popular books borrowed more.
Readers are made-up negative ids (never a real patron's), turned into monthly reader keys like
real ones. For the review of libraries, one library stops logging in 120 days before today and
another's library system times out now and then in the last two months.

Idempotent: when the log already holds events from before today, nothing is
added (the roll-up is brought up to date either way). Fast: bulk inserts, a few hundred thousand
rows at most.
"""

import datetime
import itertools
import random
import zoneinfo

from django.conf import settings
from django.utils import timezone

from bibblix.usage import services as usage
from bibblix.usage.models import UsageEvent

from . import rollup

DAYS = 730
LOANS_PER_INHABITANT_DAY = 0.000015  # about 25 loans a day in all for the demo's 1.6 M people
BATCH = 5000
Kind = UsageEvent.Kind


def _season(day: datetime.date) -> float:
    """More in the school year, most around the summer-reading push and the autumn break."""
    month_factor = {6: 1.3, 7: 0.9, 8: 0.8, 10: 1.2, 11: 1.1, 12: 0.9}.get(day.month, 1.0)
    weekday_factor = 0.7 if day.weekday() >= 5 else 1.1
    return month_factor * weekday_factor


HOURS = range(7, 22)
HOUR_WEIGHTS = list(itertools.accumulate([1, 2, 2, 2, 2, 2, 3, 4, 5, 5, 5, 6, 6, 5, 3]))


def _when(rng: random.Random, day: datetime.date) -> datetime.datetime:
    hour = rng.choices(HOURS, cum_weights=HOUR_WEIGHTS)[0]
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time(hour, rng.randrange(60)), tzinfo=zone)


class _Book:
    __slots__ = ("age_min", "language", "page_count", "pk")

    def __init__(self, pk, language, age_min, page_count):
        self.pk, self.language, self.age_min, self.page_count = pk, language, age_min, page_count


def _books() -> list[_Book]:
    from bibblix.catalogue import services as catalogue

    rows = catalogue.children_books().values_list("pk", "language", "age_min", "page_count")
    return [_Book(*row) for row in rows.order_by("pk")[:400]]


def _municipalities(first: datetime.date, last: datetime.date) -> dict[int, dict]:
    """Connected demo municipalities with population, libraries and the days they were connected."""
    from bibblix.members import services as members

    found: dict[int, dict] = {}
    for library in members.connected_libraries(last).order_by("pk"):
        municipality = library.municipality
        entry = found.setdefault(
            municipality.pk,
            {
                "name": municipality.name,
                "population": municipality.population or 20000,
                "libraries": [],
                "periods": members.connection_periods(municipality),
            },
        )
        entry["libraries"].append(library.pk)
    return found


def _is_connected(periods, day: datetime.date) -> bool:
    return any(start <= day and (end is None or day < end) for start, end in periods)


def _day_events(rng, day, municipality_id, entry, books, weights, quiet_from, flaky) -> list[dict]:
    rows = []
    base = entry["population"] * LOANS_PER_INHABITANT_DAY * _season(day)
    readers = max(20, entry["population"] // 150)

    def event(kind, *, reader=None, book=None, library=None, **amounts):
        library = library or rng.choice(entry["libraries"])
        reader_id = -(municipality_id * 1_000_000 + reader) if reader is not None else None
        rows.append(
            usage.event_row(
                kind,
                when=_when(rng, day),
                municipality_id=municipality_id,
                library_id=library,
                book=book,
                reader_id=reader_id,
                **amounts,
            )
        )

    quiet = quiet_from is not None and day >= quiet_from
    for _ in range(0 if quiet else _poisson(rng, base * 0.5)):
        event(Kind.LOGIN, reader=int(rng.paretovariate(1.2) * 7) % readers)
    for _ in range(0 if quiet else _poisson(rng, base * 0.05)):
        event(Kind.LOGIN_FAILED)
    for library in entry["libraries"]:
        if library == flaky and rng.random() < 0.5:
            event(Kind.LOGIN_TIMEOUT, library=library)
    if quiet:
        return rows
    for _ in range(_poisson(rng, base * 0.06)):
        event(Kind.NEW_READER)
    for _ in range(_poisson(rng, base)):
        reader = int(rng.paretovariate(1.2) * 7) % readers
        book = rng.choices(books, cum_weights=weights)[0]
        event(Kind.BORROWED, reader=reader, book=book)
        pages = rng.randint(5, 40)
        event(Kind.READ, reader=reader, book=book, pages=pages, seconds=pages * rng.randint(40, 90))
        if rng.random() < 0.35:
            event(Kind.FINISHED, reader=reader, book=book)
    return rows


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-ish count with this mean (normal approximation is enough for a demo)."""
    if mean <= 0:
        return 0
    return max(0, round(rng.gauss(mean, mean**0.5)))


def load(out=print, days: int | None = None, seed: int = 18) -> int:
    """Generate `days` days of demo usage ending yesterday (once) and roll everything up;
    returns the number of events added. By default two years (DEMO_USAGE_DAYS)."""
    days = days or settings.DEMO_USAGE_DAYS
    last = timezone.localdate() - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=days - 1)
    added = 0
    if not UsageEvent.objects.filter(day__lte=last).exists():
        added = _generate(out, first, last, seed)
    rollup.fill()
    out(f"  insights: {added} generated usage events, roll-ups filled to yesterday")
    return added


def _generate(out, first: datetime.date, last: datetime.date, seed: int) -> int:
    books = _books()
    municipalities = _municipalities(first, last)
    if not books or not municipalities:
        out("  insights: no books or no connected municipalities, no demo statistics")
        return 0
    rng = random.Random(seed)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(len(books))))
    ids = sorted(municipalities)
    quiet = {ids[-1]: last - datetime.timedelta(days=120)} if len(ids) > 1 else {}
    flaky_municipality = municipalities[ids[0]]
    flaky = flaky_municipality["libraries"][0]
    added, batch = 0, []
    day = first
    while day <= last:
        for municipality_id in ids:
            entry = municipalities[municipality_id]
            if not _is_connected(entry["periods"], day):
                continue
            flaky_today = flaky if day >= last - datetime.timedelta(days=60) else None
            batch += _day_events(
                rng,
                day,
                municipality_id,
                entry,
                books,
                weights,
                quiet.get(municipality_id),
                flaky_today,
            )
        if len(batch) >= BATCH:
            added += usage.record_many(batch)
            batch = []
        day += datetime.timedelta(days=1)
    return added + usage.record_many(batch)
