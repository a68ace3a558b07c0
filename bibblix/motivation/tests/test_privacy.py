"""No adult sees one child's reading: not through the staff area, the API or an export; and
retention deletes the log, badges, ratings and challenge places with the account."""

import datetime

import pytest

from bibblix.motivation import services
from bibblix.motivation.models import BadgeAward, Challenge, Participation, Rating, ReadingDay

DAY = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
CHILD_ROWS = (ReadingDay, BadgeAward, Rating, Participation)


@pytest.fixture
def reading_child(patron_ale, make_book, read_book, time_machine):
    time_machine.move_to(DAY, tick=False)
    challenge = Challenge.objects.create(
        title="Läslov", starts_on=DAY.date(), ends_on=DAY.date(), goal_count=1
    )
    services.join(patron_ale, challenge.pk)
    book = make_book()
    read_book(patron_ale, book, at=DAY)
    services.rate(patron_ale, book.pk, 3)
    assert all(model.objects.filter(patron=patron_ale).exists() for model in CHILD_ROWS)
    return patron_ale


def test_retention_deletes_log_badges_ratings_and_places(reading_child):
    from bibblix.patrons.retention import forget

    forget(reading_child)
    assert not any(model.objects.exists() for model in CHILD_ROWS)


def test_the_retention_run_deletes_them_with_an_inactive_account(reading_child):
    from bibblix.lending.retention import apply_retention

    accounts, _loans = apply_retention(now=DAY + datetime.timedelta(days=4 * 366))
    assert accounts == 1
    assert not any(model.objects.exists() for model in CHILD_ROWS)


@pytest.mark.parametrize("model", ["readingday", "badgeaward", "rating", "participation"])
def test_no_staff_page_lists_a_childs_reading(client, admin_user, reading_child, model):
    client.force_login(admin_user)  # even a superuser
    assert client.get(f"/staff/motivation/{model}/").status_code == 404
    assert client.get(f"/staff/motivation/{model}/1/change/").status_code == 404


def test_the_patron_admin_shows_nothing_of_their_reading(client, admin_user, reading_child):
    client.force_login(admin_user)
    page = client.get(f"/staff/patrons/patron/{reading_child.pk}/change/").content.decode()
    assert "first-book" not in page and "Läslov" not in page and "badge" not in page.lower()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/me/reading-log",
        "/api/v1/me/badges",
        "/api/v1/challenges",
        "/api/v1/me/recommendations",
    ],
)
def test_staff_get_nothing_from_the_childrens_api(client, admin_user, reading_child, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 401


def test_the_api_answers_only_for_the_logged_in_child(
    client, log_in, reading_child, ale, make_patron
):
    other = log_in(client, make_patron(ale))
    assert other.get("/api/v1/me/reading-log").json()["books_finished"] == 0
    assert not any(b["earned"] for b in other.get("/api/v1/me/badges").json())
    log_in(client, reading_child)
    assert client.get("/api/v1/me/reading-log").json()["books_finished"] == 1


def test_no_export_carries_a_childs_reading():
    """Staff exports (members' registers, insights' statistics and reports, billing) are built
    in apps that may not import motivation at all; the dependency check reads every import."""
    from bibblix.tests.test_dependencies import crossings

    # The demo builds demo rows of every app (challenges, tips) and exports nothing.
    reaching = [
        c
        for c in crossings()
        if c[1].startswith("motivation") and c[0] not in {"motivation", "demo"}
    ]
    assert reaching == []
