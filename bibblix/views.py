"""Project-level pages: the children's home page, privacy and accessibility, the health check."""

import datetime

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bibblix.catalogue import services as catalogue
from bibblix.members import services as members


def home(request):
    municipalities = members.connected_on().order_by("name")
    return render(
        request,
        "home.html",
        {"municipalities": municipalities, "featured": catalogue.featured_books(limit=12)},
    )


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
