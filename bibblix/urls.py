from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from bibblix import views
from bibblix.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("shelves/<int:pk>/", views.shelf, name="shelf"),
    path("integritet/", views.privacy_children, name="privacy_children"),
    path("integritet/vardnadshavare/", views.privacy_guardians, name="privacy_guardians"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("staff/insights/dashboard/", include("bibblix.insights.urls")),
    path("staff/insights/", include("bibblix.insights.staff_urls")),
    path("staff/two-factor/", include("bibblix.members.two_factor")),
    path("staff/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("bibblix.patrons.urls")),
    path("", include("bibblix.catalogue.urls")),
    path("opds/", include("bibblix.opds.urls")),
    path("my/", include("bibblix.lending.urls")),
    path("", include("bibblix.motivation.urls")),
    path("read/", include("bibblix.reader.urls")),
]

if settings.STORAGE_BACKEND == "local" and not settings.IS_PRODUCTION:
    # Covers in the embedded mode. Book files are never served from here: the reader serves
    # them through signed URLs to the child who has the loan.
    urlpatterns.append(
        path("media/covers/<path:path>", serve, {"document_root": settings.MEDIA_ROOT / "covers"})
    )

    def challenge_picture(request, path):
        # Reading challenges' pictures (public, like covers); the folder is read per request.
        return serve(request, path, document_root=settings.MEDIA_ROOT / "challenges")

    urlpatterns.append(path("media/challenges/<path:path>", challenge_picture))
