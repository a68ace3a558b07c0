"""Project-level pages: the children's home page, privacy and accessibility, the health check."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from bibblix.catalogue import services as catalogue
from bibblix.catalogue.views import PER_PAGE
from bibblix.lending import services as lending
from bibblix.lib.page_cache import child_page, shared_page, visitor
from bibblix.members import services as members
from bibblix.patrons import services as patrons

ROW = 12  # books in a row of covers


@shared_page(visitor)
@child_page(patrons.get_patron, patrons.session_child)
def home(request):
    """The children's start page: "Fortsätt läsa" for a child with loans, the librarians' tips,
    then the shelves and themes as rows of covers. Visitors share one copy; a logged-in child's
    (with their loans and recommendations) is kept for them until something of theirs or the
    catalogue changes (bibblix.lib.page_cache)."""
    patron = patrons.get_patron(request)
    reading_now = lending.reading_now(patron, limit=ROW) if patron else []
    context = {
        "municipalities": members.connected_on().order_by("name"),
        "featured": catalogue.featured_books(limit=ROW),
        "reading_now": reading_now,
        "free_to_try": catalogue.free_to_try_books(limit=ROW),
        "theme_rows": catalogue.theme_rows(ROW),
    }
    response = render(request, "home.html", context)
    response.cache_until = min(
        (lending.next_days_left_change(loan) for loan in reading_now), default=None
    )
    return response


@shared_page(visitor)
def shelf(request, pk: int):
    """/shelves/<id>/: every book on one of the librarians' shelves ("Visa alla" on its row), a
    page at a time. Here and not in the catalogue app because which shelves a child may open
    depends on who is logged in (their municipality's own shelves), and the catalogue does not
    import patrons. A visitor sees the national shelves; internal lists are a 404 for everyone."""
    patron = patrons.get_patron(request)
    chosen = catalogue.children_shelf(pk, patron.municipality_id if patron else None)
    if chosen is None:
        raise Http404
    books = catalogue.shelf_children_books(chosen)
    page = Paginator(books, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "catalogue/shelf.html", {"shelf": chosen, "page": page})


# When the accessibility statement was last reviewed (the law asks for the date on the page).
ACCESSIBILITY_STATEMENT_WRITTEN = datetime.date(2026, 12, 3)


def privacy_children(request):
    return render(request, "privacy/children.html")


def privacy_guardians(request):
    return render(request, "privacy/guardians.html", {"contact_email": settings.CONTACT_EMAIL})


def accessibility(request):
    context = {"contact_email": settings.CONTACT_EMAIL, "written": ACCESSIBILITY_STATEMENT_WRITTEN}
    return render(request, "privacy/accessibility.html", context)


@never_cache
def healthz(request):
    """Liveness and database check for load balancers; 503 when the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links."""
    return redirect(static("bibblix/favicon.ico"), permanent=True)
