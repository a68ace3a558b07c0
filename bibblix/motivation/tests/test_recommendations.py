"""Recommendations rank the same series, author and theme first, never suggest a withdrawn book,
one outside the child's age band, or one they finished; a new child gets the librarians' shelves;
pairs read together are kept only from MIN_CO_READERS children."""

import datetime

import pytest

from bibblix.motivation import services
from bibblix.motivation.models import CoReading, LibraryTip
from bibblix.motivation.recommend import MIN_CO_READERS

DAY = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def shelf(make_book):
    """Books a 6-8 reader might get, and some they must never get."""
    books = {
        "read": make_book(
            "Mysteriet 1",
            series="Mysteriet",
            series_number=1,
            themes=["djur"],
            age_min=6,
            age_max=9,
        ),
        "next": make_book("Mysteriet 2", series="Mysteriet", series_number=2, age_min=6, age_max=9),
        "theme": make_book("Hundboken", themes=["djur"], age_min=6, age_max=8),
        "other": make_book("Rymdboken", themes=["rymd"], age_min=6, age_max=8),
        "withdrawn": make_book(
            "Mysteriet 3", series="Mysteriet", series_number=3, is_withdrawn=True
        ),
        "too_old": make_book(
            "Mysteriet 4", series="Mysteriet", series_number=4, age_min=10, age_max=12
        ),
    }
    return books


def test_same_series_then_theme_rank_first(patron_ale, shelf, read_book):
    read_book(patron_ale, shelf["read"], at=DAY)
    titles = [b.title for b in services.recommend(patron_ale)]
    assert titles[:2] == ["Mysteriet 2", "Hundboken"]


def test_never_withdrawn_outside_the_band_or_already_read(patron_ale, shelf, read_book):
    read_book(patron_ale, shelf["read"], at=DAY)
    ids = {b.pk for b in services.recommend(patron_ale, limit=50)}
    assert not ids & {shelf["withdrawn"].pk, shelf["too_old"].pk, shelf["read"].pk}
    liked = {b.pk for b in services.book_recommendations(shelf["read"], patron_ale)}
    assert shelf["next"].pk in liked
    assert not liked & {shelf["withdrawn"].pk, shelf["too_old"].pk}


def test_the_same_author_ranks_above_a_theme(patron_ale, make_book, read_book):
    from bibblix.catalogue.models import BookContributor, Contributor

    author = Contributor.objects.create(name="Astrid")
    first = make_book("Första", themes=["humor"])
    second = make_book("Andra")
    theme_only = make_book("Roligt", themes=["humor"])
    for book in (first, second):
        BookContributor.objects.create(book=book, contributor=author)
    read_book(patron_ale, first, at=DAY)
    titles = [b.title for b in services.recommend(patron_ale)]
    assert titles.index("Andra") < titles.index("Roligt")
    assert theme_only.pk in {b.pk for b in services.recommend(patron_ale)}


def test_a_new_child_gets_the_librarians_shelves(patron_ale, make_book, ale_library):
    tip = make_book("Bibliotekets tips")
    LibraryTip.objects.create(library=ale_library, book=tip)
    make_book("Utvald", is_featured=True)
    assert [b.title for b in services.recommend(patron_ale)][:2] == ["Bibliotekets tips", "Utvald"]


def test_library_tips_are_the_childs_own_library(patron_ale, make_book, boras):
    LibraryTip.objects.create(library=boras.libraries.get(), book=make_book("Borås tips"))
    assert services.library_tips(patron_ale.library_id) == []


def test_co_reading_keeps_only_pairs_of_enough_children(ale, make_patron, make_book, read_book):
    a, b, c = make_book("A"), make_book("B"), make_book("C")
    for n in range(MIN_CO_READERS):
        child = make_patron(ale)
        read_book(child, a, at=DAY)
        read_book(child, b, at=DAY)
        if n == 0:
            read_book(child, c, at=DAY)  # only one child read C with A: never a pair
    assert services.compute_co_reading() == 2
    assert set(CoReading.objects.values_list("book_id", "other_id", "readers")) == {
        (a.pk, b.pk, MIN_CO_READERS),
        (b.pk, a.pk, MIN_CO_READERS),
    }
    assert services.compute_co_reading() == 2  # idempotent


def test_co_read_books_are_recommended(ale, patron_ale, make_patron, make_book, read_book):
    a, b = make_book("A", themes=["x"]), make_book("B", themes=["y"])
    make_book("C", themes=["z"])
    for _ in range(MIN_CO_READERS):
        child = make_patron(ale)
        read_book(child, a, at=DAY)
        read_book(child, b, at=DAY)
    services.compute_co_reading()
    read_book(patron_ale, a, at=DAY)
    assert [book.title for book in services.recommend(patron_ale)][0] == "B"


def test_recommendations_api_is_the_childs_own(child, shelf, read_book):
    read_book(child.patron, shelf["read"], at=DAY)
    answer = child.get("/api/v1/me/recommendations").json()
    assert answer[0]["title"] == "Mysteriet 2"


# --- kept per child (bibblix.lib.page_cache.cached_for_child) ---------------------------------


def _queries(call) -> tuple[int, list]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        result = call()
    return len(captured), result


def test_recommendations_are_kept_until_the_childs_reading_changes(
    patron_ale, shelf, read_book, make_book
):
    from bibblix.lending import services as lending

    read_book(patron_ale, shelf["read"], at=DAY)
    built, first = _queries(lambda: services.recommend(patron_ale))
    kept, again = _queries(lambda: services.recommend(patron_ale))
    assert built > 0 and kept == 0 and [b.pk for b in again] == [b.pk for b in first]
    # A new loan: worked out again.
    lending.borrow(patron_ale, shelf["other"].pk)
    rebuilt, _ = _queries(lambda: services.recommend(patron_ale))
    assert rebuilt > 0
    # A finished book leaves the shelf at once.
    assert shelf["next"].pk in {b.pk for b in services.recommend(patron_ale)}
    read_book(patron_ale, shelf["next"], at=DAY)
    assert shelf["next"].pk not in {b.pk for b in services.recommend(patron_ale)}


def test_a_catalogue_change_gives_fresh_recommendations(patron_ale, shelf, read_book):
    read_book(patron_ale, shelf["read"], at=DAY)
    assert shelf["theme"].pk in {b.pk for b in services.recommend(patron_ale)}
    shelf["theme"].is_withdrawn = True
    shelf["theme"].save()
    assert shelf["theme"].pk not in {b.pk for b in services.recommend(patron_ale)}


def test_a_library_tip_shows_for_a_new_child_at_once(patron_ale, make_book):
    assert services.recommend(patron_ale) == []
    tip = make_book("Bibliotekariens tips")
    LibraryTip.objects.create(library_id=patron_ale.library_id, book=tip, position=1)
    assert [b.pk for b in services.recommend(patron_ale)] == [tip.pk]


def test_one_childs_recommendations_are_not_another_childs(
    patron_ale, shelf, read_book, make_patron, ale
):
    read_book(patron_ale, shelf["read"], at=DAY)
    mine = services.recommend(patron_ale)
    assert mine
    other = make_patron(ale)
    assert services.recommend(other) != mine
