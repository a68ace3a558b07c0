"""Demo reading joy: a national summer challenge open the whole year round of the demo, an Ale
challenge of animal books, and Ale's library tips (idempotent: matched on title and library)."""

import datetime

from django.utils import timezone

from bibblix.catalogue import services as catalogue
from bibblix.members import services as members
from bibblix.motivation.models import Challenge, LibraryTip


def load(out=print) -> None:
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=14), today + datetime.timedelta(days=60)
    Challenge.objects.update_or_create(
        title="Sommarboken",
        organiser=None,
        defaults={
            "description": "Läs fem böcker och få ett diplom att visa på biblioteket!",
            "starts_on": start,
            "ends_on": end,
            "goal": Challenge.Goal.BOOKS,
            "goal_count": 5,
        },
    )
    library = members.connected_libraries().filter(municipality__name="Ale").first()
    if library is None:
        out("  motivation: the national challenge; no connected Ale, no local demo")
        return
    animals, _ = Challenge.objects.update_or_create(
        title="Djurveckan i Ale",
        organiser=library.municipality,
        defaults={
            "description": "Läs 30 minuter om djur!",
            "starts_on": start,
            "ends_on": end,
            "goal": Challenge.Goal.MINUTES,
            "goal_count": 30,
        },
    )
    animals.municipalities.set([library.municipality])
    for position, book in enumerate(catalogue.featured_books(limit=6)[::-1]):
        LibraryTip.objects.get_or_create(
            library=library, book=book, defaults={"position": position}
        )
    out("  motivation: two reading challenges, Ale's library tips")
