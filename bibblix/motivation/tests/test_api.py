"""The children's reading-joy API, as listed in the issue and in the OpenAPI document."""

import datetime

from bibblix.motivation.models import Challenge

DAY = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)


def test_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/me/reading-log",
        "/api/v1/me/badges",
        "/api/v1/challenges",
        "/api/v1/challenges/{challenge_id}/join",
        "/api/v1/challenges/{challenge_id}/progress",
        "/api/v1/ratings/{book_id}",
        "/api/v1/me/recommendations",
    ):
        assert path in paths, path
    assert "put" in paths["/api/v1/ratings/{book_id}"]
    assert "post" in paths["/api/v1/challenges/{challenge_id}/join"]


def test_a_child_joins_reads_and_sees_progress(child, make_book, read_book, time_machine):
    time_machine.move_to(DAY, tick=False)
    challenge = Challenge.objects.create(
        title="Läslov", starts_on=DAY.date(), ends_on=DAY.date(), goal_count=2
    )
    assert [c["id"] for c in child.get("/api/v1/challenges").json()] == [challenge.pk]
    joined = child.post(f"/api/v1/challenges/{challenge.pk}/join").json()
    assert joined["progress"] == {
        "joined": True,
        "done": 0,
        "goal": 2,
        "percent": 0,
        "completed": False,
        "completed_at": None,
    }
    read_book(child.patron, make_book(), at=DAY)
    progress = child.get(f"/api/v1/challenges/{challenge.pk}/progress").json()
    assert (progress["done"], progress["percent"]) == (1, 50)
    log = child.get("/api/v1/me/reading-log").json()
    assert (log["books_finished"], log["minutes"], len(log["week"])) == (1, 5, 7)
    badges = {b["slug"]: b["earned"] for b in child.get("/api/v1/me/badges").json()}
    assert badges["first-book"] and not badges["books-5"]


def test_anonymous_gets_401(client):
    assert client.get("/api/v1/me/badges").status_code == 401
    assert client.post("/api/v1/challenges/1/join").status_code == 401
