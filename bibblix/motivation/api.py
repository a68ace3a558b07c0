"""The children's reading-joy API: the logged-in child's own log, badges, challenges, ratings and
recommendations (the web pages call the same services)."""

import datetime

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from bibblix.catalogue import services as catalogue
from bibblix.patrons.auth import patron_auth

from . import services

router = Router(tags=["motivation"], auth=patron_auth)


class DayOut(Schema):
    day: datetime.date
    read: bool
    minutes: int


class ReadingLogOut(Schema):
    minutes: int
    pages: int
    books_finished: int
    days_in_a_row: int
    best_days_in_a_row: int
    week: list[DayOut]


class BadgeOut(Schema):
    slug: str
    name: str
    text: str
    earned: bool
    awarded_at: datetime.datetime | None


class ProgressOut(Schema):
    joined: bool
    done: int
    goal: int
    percent: int
    completed: bool
    completed_at: datetime.datetime | None


class ChallengeOut(Schema):
    id: int
    title: str
    description: str
    starts_on: datetime.date
    ends_on: datetime.date
    goal: str
    goal_count: int
    progress: ProgressOut


class RatingIn(Schema):
    rating: int


class RatingOut(Schema):
    book: int
    rating: int
    totals: dict[str, int]


class BookOut(Schema):
    id: int
    title: str
    age_min: int
    age_max: int
    series: str


class Refusal(Schema):
    detail: str
    rule: str


def _challenge_out(challenge, patron) -> dict:
    return {
        "id": challenge.pk,
        "title": challenge.title,
        "description": challenge.description,
        "starts_on": challenge.starts_on,
        "ends_on": challenge.ends_on,
        "goal": challenge.goal,
        "goal_count": challenge.goal_count,
        "progress": services.progress(challenge, patron),
    }


@router.get("/me/reading-log", response=ReadingLogOut)
def reading_log(request):
    """The child's own reading: minutes, pages, books finished, days in a row, the last 7 days."""
    return services.reading_log(request.patron)


@router.get("/me/badges", response=list[BadgeOut])
def badges(request):
    """Every badge, with whether the child has earned it."""
    return [
        {
            "slug": row["badge"].slug,
            "name": str(row["badge"].name),
            "text": str(row["badge"].text),
            "earned": row["award"] is not None,
            "awarded_at": row["award"].awarded_at if row["award"] else None,
        }
        for row in services.badges_of(request.patron)
    ]


@router.get("/challenges", response=list[ChallengeOut])
def challenges(request):
    """Challenges open in the child's municipality, with the child's progress."""
    return [_challenge_out(c, request.patron) for c in services.open_challenges(request.patron)]


@router.post("/challenges/{challenge_id}/join", response={200: ChallengeOut, 404: Refusal})
def join_challenge(request, challenge_id: int):
    """Join with one tap (a second tap answers the same)."""
    try:
        place = services.join(request.patron, challenge_id)
    except services.ChallengeNotOpen:
        return Status(404, {"detail": _("This challenge is not open to you."), "rule": "not_open"})
    return _challenge_out(place.challenge, request.patron)


@router.get("/challenges/{challenge_id}/progress", response=ProgressOut)
def challenge_progress(request, challenge_id: int):
    challenge = services.get_challenge(request.patron, challenge_id)
    if challenge is None:
        raise HttpError(404, "Not found")
    return services.progress(challenge, request.patron)


@router.put("/ratings/{book_id}", response={200: RatingOut, 409: Refusal})
def put_rating(request, book_id: int, payload: RatingIn):
    """The child's face for a finished book: 1 Sådär, 2 Bra, 3 Jättebra (changeable)."""
    if catalogue.get_book(book_id) is None:
        raise HttpError(404, "Not found")
    if payload.rating not in (1, 2, 3):
        raise HttpError(422, "rating must be 1, 2 or 3")
    try:
        row = services.rate(request.patron, book_id, payload.rating)
    except services.NotFinished:
        detail = _("Finish the book first, then tell us what you thought.")
        return Status(409, {"detail": detail, "rule": "not_finished"})
    totals = services.rating_totals(book_id)
    return {"book": book_id, "rating": row.value, "totals": {str(k): v for k, v in totals.items()}}


@router.get("/me/recommendations", response=list[BookOut])
def recommendations(request):
    """The child's personal shelf (the librarians' shelves for a new reader)."""
    return [
        {
            "id": b.pk,
            "title": b.title,
            "age_min": b.age_min,
            "age_max": b.age_max,
            "series": b.series,
        }
        for b in services.recommend(request.patron)
    ]
