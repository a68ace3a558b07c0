"""The installable web app: the page's configuration, the service worker, manifest and icons.

The worker lives at /read/sw.js with scope /read/ (the project's URL map stays untouched). It is
rendered by Django so that it knows the exact (hashed in production) URLs of the reader shell.
"""

import base64
import hashlib
import io
import json
from functools import lru_cache

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from PIL import Image, ImageDraw

from . import services

FOLIATE_MODULES = [
    "view.js",
    "epub.js",
    "epubcfi.js",
    "progress.js",
    "overlayer.js",
    "text-walker.js",
    "paginator.js",
    "fixed-layout.js",
    "tts.js",
    "vendor/zip.js",
]
ICON_SIZES = (192, 512)


def shell_urls() -> list[str]:
    """Static files the reader needs, cached by the service worker for offline reading."""
    names = [
        "reader/reader.js",
        "reader/read-aloud.js",
        "reader/offline.js",
        "reader/panels.js",
        "reader/position.js",
        "reader/shown-page.js",
        "reader/settings.js",
        "reader/empty-module.js",
        "reader/reader.css",
        "bibblix/site.css",
        "vendor/htmx/htmx.min.js",
        "vendor/fonts/atkinson-hyperlegible/latin.css",
        "vendor/fonts/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-400-normal.woff2",
        "vendor/fonts/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-700-normal.woff2",
        "vendor/fonts/opendyslexic/latin-400.css",
        "vendor/fonts/opendyslexic/files/opendyslexic-latin-400-normal.woff2",
    ] + [f"vendor/foliate-js/{module}" for module in FOLIATE_MODULES]
    return [static(name) for name in names]


def import_map() -> str:
    """foliate-js imports a stylesheet polyfill by bare name; browsers we support need none."""
    return json.dumps(
        {"imports": {"construct-style-sheets-polyfill": static("reader/empty-module.js")}}
    )


def import_map_hash() -> str:
    """The CSP source that allows exactly this inline import map and nothing else."""
    digest = hashlib.sha256(import_map().encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def reader_config(request, book, access, epub_url: str) -> dict:
    """Everything the reader's JavaScript needs, embedded as JSON in the page."""
    return {
        "bookId": book.pk,
        "title": book.title,
        "language": book.language or "sv",
        "layout": book.layout,
        "hasMediaOverlays": book.has_media_overlays,
        "epubUrl": epub_url,
        "accessUrl": reverse("reader:access", args=[book.pk]),
        "renewSeconds": max(30, services.url_seconds() * 4 // 5),
        "dueAt": access.due_at.isoformat() if access.due_at else None,
        "isLoan": access.loan is not None,
        "bookPage": reverse("catalogue:book", args=[book.pk]),
        "progressUrl": f"/api/v1/progress/{book.pk}",
        "bookmarksUrl": "/api/v1/bookmarks",
        "loansUrl": "/api/v1/loans",
        "swUrl": reverse("reader:sw"),
        "swScope": reverse("reader:shelf"),
        "csrfToken": get_token(request),
        "fontCss": static("vendor/fonts/opendyslexic/latin-400.css"),
        "readingFontCss": static("vendor/fonts/atkinson-hyperlegible/latin.css"),
        # The default text size and line spacing follow the age band (reader/settings.js).
        "ageMin": book.age_min,
        "isEasyToRead": book.is_easy_to_read,
        "strings": reader_strings(),
    }


def reader_strings() -> dict:
    return {
        "page": _("Page %(current)s of %(total)s"),
        "percent": _("%(percent)s read"),
        "loading": _("Opening the book…"),
        "loadFailed": _("The book could not be opened. Try again in a moment."),
        "loanEnded": _("The loan has ended, so the book is no longer on this device."),
        "offline": _("You are offline. You are reading the copy saved on this device."),
        "bookmarkAdded": _("Bookmark added."),
        "noVoices": _("Reading aloud is not available in this browser."),
        "chapter": _("Chapter"),
    }


@require_GET
def service_worker(request):
    body = render_to_string(
        "reader/sw.js",
        {
            "shell": json.dumps(shell_urls()),
            "scope": reverse("reader:shelf"),
            "version": hashlib.sha256(json.dumps(shell_urls()).encode()).hexdigest()[:12],
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("reader:shelf")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def web_manifest(request):
    data = {
        "name": "Bibblix",
        "short_name": "Bibblix",
        "description": _("Free e-books for children from your library."),
        "lang": "sv",
        "start_url": reverse("reader:shelf"),
        "scope": reverse("reader:shelf"),
        "display": "standalone",
        "background_color": "#fffdf7",
        "theme_color": "#1f5fa8",
        "icons": [
            {
                "src": reverse("reader:icon", args=[size]),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any maskable",
            }
            for size in ICON_SIZES
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@lru_cache(maxsize=4)
def icon_png(size: int) -> bytes:
    """The app icon, drawn here so the repository holds no binary: an open book on blue."""
    image = Image.new("RGB", (size, size), (31, 95, 168))
    draw = ImageDraw.Draw(image)
    s = size / 16
    draw.polygon([(2 * s, 4 * s), (8 * s, 5 * s), (8 * s, 13 * s), (2 * s, 12 * s)], fill="white")
    draw.polygon([(14 * s, 4 * s), (8 * s, 5 * s), (8 * s, 13 * s), (14 * s, 12 * s)], fill="white")
    draw.line([(8 * s, 5 * s), (8 * s, 13 * s)], fill=(31, 95, 168), width=max(1, int(s / 2)))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


@require_GET
def icon(request, size: int):
    if size not in ICON_SIZES:
        return HttpResponse(status=404)
    response = HttpResponse(icon_png(size), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
