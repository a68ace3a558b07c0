"""Project-level pages: the children's home page and the health check."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from bibblix.catalogue import services as catalogue
from bibblix.lib.page_cache import shared_page, visitor
from bibblix.members import services as members


@shared_page(visitor)
def home(request):
    municipalities = members.connected_on().order_by("name")
    return render(
        request,
        "home.html",
        {"municipalities": municipalities, "featured": catalogue.featured_books(limit=12)},
    )


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
