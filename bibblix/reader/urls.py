from django.urls import path

from . import pwa, views

app_name = "reader"
urlpatterns = [
    path("", views.shelf, name="shelf"),
    path("sw.js", pwa.service_worker, name="sw"),
    path("app.webmanifest", pwa.web_manifest, name="webmanifest"),
    path("icons/icon-<int:size>.png", pwa.icon, name="icon"),
    path("<int:book_id>/", views.reader_page, name="read"),
    path("<int:book_id>/access.json", views.access, name="access"),
    path("<int:book_id>/book.epub", views.epub_file, name="epub"),
    path("<int:book_id>/manifest.json", views.manifest, name="manifest"),
    path("<int:book_id>/pub/<str:token>/<path:path>", views.entry, name="entry"),
]
