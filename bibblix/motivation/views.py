"""The children's reading-joy pages: challenges (join, progress, diploma), badges, and the
one-tap rating posted from the book page. Each view parses, calls a service and renders."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibblix.catalogue import services as catalogue
from bibblix.patrons.auth import patron_required

from . import services
from .badges import BY_SLUG


@patron_required
def challenges(request):
    patron = request.patron
    rows = [
        {"challenge": c, "progress": services.progress(c, patron)}
        for c in services.open_challenges(patron)
    ]
    return render(request, "motivation/challenges.html", {"rows": rows})


@require_POST
@patron_required
def join_challenge(request, challenge_id: int):
    try:
        place = services.join(request.patron, challenge_id)
    except services.ChallengeNotOpen:
        raise Http404 from None
    messages.success(
        request, _("You joined “%(title)s”. Happy reading!") % {"title": place.challenge}
    )
    return redirect(reverse("motivation:challenges") + f"#challenge-{challenge_id}")


@patron_required
def diploma(request, challenge_id: int):
    """A printable diploma for a completed challenge. The name field is filled in on the device
    only (CSS shows it in print); it is never sent to the server."""
    challenge = services.get_challenge(request.patron, challenge_id)
    if challenge is None:
        raise Http404
    progress = services.progress(challenge, request.patron)
    if not progress["completed"]:
        raise Http404
    context = {"challenge": challenge, "progress": progress, "badge": BY_SLUG["challenge"]}
    return render(request, "motivation/diploma.html", context)


@patron_required
def badges(request):
    patron = request.patron
    context = {
        "badges": services.badges_of(patron),
        "log": services.reading_log(patron),
    }
    return render(request, "motivation/badges.html", context)


@require_POST
@patron_required
def rate_book(request, book_id: int):
    book = catalogue.get_book(book_id)
    if book is None:
        raise Http404
    try:
        value = int(request.POST.get("rating", ""))
        services.rate(request.patron, book.pk, value)
    except (TypeError, ValueError):
        return render(request, "motivation/bad_request.html", status=400)
    except services.NotFinished:
        messages.info(request, _("Finish the book first, then tell us what you thought."))
    else:
        messages.success(request, _("Thank you for telling us!"))
    return redirect(reverse("catalogue:book", args=[book.pk]) + "#rate")
