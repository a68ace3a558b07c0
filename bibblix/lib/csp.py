"""A strict Content-Security-Policy for every HTML page that has none of its own.

Children's pages must not run injected script: scripts and style sheets come only from our own
origin, never inline (no `'unsafe-inline'`, no `'unsafe-eval'`), and forms post only to us. A view
that needs another policy sets the header itself and keeps it: the reader does, for foliate-js's
`blob:` frames and books' inline styles (`reader/security.py`).

Covers may come from another origin: the storage's (S3 or a CDN, worked out from the configured
storage) and any listed in `CSP_EXTRA_IMG_SRC` (e.g. publishers' cover hosts from ONIX links).
"""

import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import storages
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

HEADER = "Content-Security-Policy"
HTML_TYPES = {"text/html", "application/xhtml+xml"}

SITE_DIRECTIVES: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "media-src": ("'self'",),
    "frame-src": ("'self'",),
    "worker-src": ("'self'",),
    "manifest-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'self'",),
}


def render_policy(directives: dict[str, tuple[str, ...]]) -> str:
    """The header value of a policy given as directive → sources."""
    return "; ".join(" ".join((name, *sources)) for name, sources in directives.items())


def site_policy(image_sources: Iterable[str] = ()) -> str:
    """The policy of every page without its own, with `image_sources` added to `img-src`."""
    directives = dict(SITE_DIRECTIVES)
    directives["img-src"] = tuple(dict.fromkeys((*directives["img-src"], *image_sources)))
    return render_policy(directives)


def storage_origin() -> str:
    """The origin that serves stored files (covers) if it is not this site, else ""."""
    try:
        url = storages["default"].url("covers/csp-probe.jpg")
    except Exception:  # e.g. no S3 credentials yet: pages still load, such covers do not
        logger.warning("CSP: no URL from the file storage; its covers may be blocked")
        return ""
    parts = urlsplit(url)
    if not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else parts.netloc


def image_sources() -> list[str]:
    """Origins besides ours that pages show images from: the storage's and the configured ones."""
    origin = storage_origin()
    return [*([origin] if origin else []), *settings.CSP_EXTRA_IMG_SRC]


def is_html(response: HttpResponse) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type in HTML_TYPES


class ContentSecurityPolicyMiddleware:
    """Adds the site policy to HTML responses that have no Content-Security-Policy yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policy = site_policy(image_sources())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER in response or not is_html(response):
            return response
        if settings.DEBUG and response.status_code >= 400:
            # Django's technical error pages (DEBUG only) are made of inline script and style.
            return response
        response[HEADER] = self.policy
        return response
