"""The ceiling of bench_pages: a bare Django endpoint with no middleware, no database, no templates.

Served by gunicorn exactly like Bibblix (`gunicorn benchmarks.ceiling_wsgi:application`), it shows
what Django and gunicorn alone manage on this machine; every page is measured against it.
"""

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("", hello)]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        SECRET_KEY="ceiling-only",  # noqa: S106 - serves nothing secret
    )
    django.setup()

application = get_wsgi_application()
