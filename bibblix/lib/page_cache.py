"""Pages and feeds that are the same for many children, cached until the content changes.

Thousands of children ask for the same shelves at once. A cached page is keyed by a *content
version* that any save or delete of a watched model (the catalogue, shelves, loan policies,
connected municipalities; `watch`) replaces at once, so a librarian's change shows on the next
request; the version sits in the shared cache (Redis), so every web worker sees it.
The key also holds the path and query, the language, whether htmx asks for a fragment, the day
(licence windows end at midnight) and a scope: visitors share one copy, logged-in children one per
municipality where the view allows it (its shelves differ); anything personal is never cached.

The CSRF token differs per visitor: a cached page holds a placeholder that each answer replaces
by the visitor's own token. Each answer carries an ETag of the key and the visitor's CSRF secret,
so a browser that has the page gets a 304 without the view running.

Without a shared cache (several processes with `LocMemCache`), a bump would reach one process
only: `PAGE_CACHE` is then off in production (settings.py).
"""

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from bibblix.lib.csrf import get_token

VERSION_KEY = "bibblix:content-version"
TIMEOUT = 60 * 60  # a page unused for an hour makes room for others
PLACEHOLDER = "csrf-placeholder-5c1b0f6e"
VISITOR = "visitor"
# Where a visitor's flash message waits (no session): such a request is never answered from cache.
MESSAGES_COOKIE = CookieStorage.cookie_name
_watched: set[str] = set()


# Each process keeps the version it read for half a second (a bump in this process forgets it at
# once): a change made in another worker shows within that, and a cached page costs no round trip
# to Redis at all (the pages themselves are kept in the per-process "local" cache too).
VERSION_LOCAL_SECONDS = 0.5
_local_version: list = [None, 0.0]  # version, monotonic time until which it holds


def content_version() -> str:
    """The current content version (made on first use)."""
    now = time.monotonic()
    if _local_version[0] is not None and now < _local_version[1]:
        return _local_version[0]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _new_version(), None)
        version = cache.get(VERSION_KEY) or _new_version()
    _local_version[:] = [version, now + VERSION_LOCAL_SECONDS]
    return version


def bump_content_version(**_signal) -> None:
    """Make every cached page and feed stale at once (for changes that send no model signal)."""
    if getattr(_deferred, "active", False):
        return
    _local_version[:] = [None, 0.0]
    cache.set(VERSION_KEY, _new_version(), None)


_deferred = threading.local()


@contextmanager
def bumps_deferred():
    """One bump at the end instead of one per saved row (for imports of thousands of books)."""
    _deferred.active = True
    try:
        yield
    finally:
        _deferred.active = False
        bump_content_version()


def _new_version() -> str:
    # Random as well as the time: a clock stopped in a test must not give the same version twice.
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


def watch(*labels: str) -> None:
    """Bump the version on any save or delete of these models ("app" or "app.model" labels)."""
    _watched.update(label.lower() for label in labels)
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_on_change, dispatch_uid="bibblix-page-cache")


def _on_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is not None and (meta.app_label in _watched or meta.label_lower in _watched):
        bump_content_version()


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, its CSRF token is a placeholder."""
    return {"csrf_token": PLACEHOLDER} if getattr(request, "_page_cache_render", False) else {}


def _has_messages(request: HttpRequest) -> bool:
    # len() loads the messages without marking them shown.
    return hasattr(request, "_messages") and len(get_messages(request)) > 0


def visitor(request: HttpRequest) -> str | None:
    """Scope for `shared_page`: one copy for everyone without a session (not logged in)."""
    return VISITOR if settings.SESSION_COOKIE_NAME not in request.COOKIES else None


def _is_fragment(request: HttpRequest) -> bool:
    """htmx asks for part of the page (as django-htmx reads it: a request, not a boosted link),
    read from the headers, so the cached-page middleware can tell before django-htmx runs."""
    meta = request.META
    return meta.get("HTTP_HX_REQUEST") == "true" and meta.get("HTTP_HX_BOOSTED") != "true"


def _key(request: HttpRequest, scope: str) -> str:
    query = "&".join(sorted(request.META.get("QUERY_STRING", "").split("&")))
    parts = [
        content_version(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        request.get_host(),
        request.path,
        query,
        "fragment" if _is_fragment(request) else "page",
        scope,
    ]
    # "page2": entries hold the page cut at its CSRF placeholders (`_pieces`).
    return "page2:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def shared_page(scope: Callable[[HttpRequest], str | None]):
    """Cache a view's page for everyone `scope(request)` puts in the same group (None: personal,
    not cached). The view's answer must not depend on anything else of the request."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            group = scope(request) if getattr(settings, "PAGE_CACHE", True) else None
            if request.method not in ("GET", "HEAD") or group is None or _has_messages(request):
                return view(request, *args, **kwargs)
            key = _key(request, group)
            token = get_token(request)  # sets the CSRF cookie for a first visit, as a render would
            etag = _etag(request, key)
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return _headers(not_modified, etag)
            entry = _get(key)
            if entry is None:
                with _one_builder(key) as entry:
                    if entry is None:
                        response = _render(view, request, args, kwargs)
                        if not _cacheable(response):
                            return _with_token(response, token)
                        entry = (
                            _pieces(response.content),
                            response["Content-Type"],
                            _kept_headers(response),
                        )
                        _set(key, entry)
            if group == VISITOR:
                _visitor_paths.add(request.path)
            return _answer(entry, token, etag)

        return wrapper

    return decorate


def _etag(request: HttpRequest, key: str) -> str:
    secret = request.META.get("CSRF_COOKIE", "")
    return f'"{hashlib.blake2b((key + secret).encode(), digest_size=16).hexdigest()}"'


def _answer(entry: tuple, token: str, etag: str) -> HttpResponse:
    pieces, content_type, headers = entry
    response = HttpResponse(_filled(pieces, token), content_type=content_type)
    for name, value in headers:
        response[name] = value
    return _headers(response, etag)


# --- a visitor's cached page before the rest of the middleware --------------------------------
#
# A cached page still went through every middleware, the URL resolver and its view's wrapper:
# for a visitor, authentication, staff sessions, two-factor, messages, htmx and axes do nothing,
# yet cost a fifth of the page's time in process. CachedVisitorPageMiddleware sits after the
# middleware a cached page needs (sessions, language, host check, CSRF cookie, X-Frame-Options,
# and on the way out their headers) and answers from this process's copy of the page, under the
# same key as the wrapper; anything else (no copy here, a session, a message) goes on as before.
# Only paths a visitor's page was served at are tried, so other requests pay a set look-up.

_VISITOR_PATHS_MAX = 10_000  # forgotten all at once past this (search queries are paths too)
_visitor_paths: set[str] = set()


class CachedVisitorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.path in _visitor_paths
            and request.method in ("GET", "HEAD")
            and getattr(settings, "PAGE_CACHE", True)
            and visitor(request) == VISITOR
            and MESSAGES_COOKIE not in request.COOKIES
        ):
            key = _key(request, VISITOR)
            entry = caches["local"].get(key)
            if entry is not None:
                token = get_token(request)
                etag = _etag(request, key)
                not_modified = get_conditional_response(request, etag=etag)
                if not_modified is not None:
                    return _headers(not_modified, etag)
                return _answer(entry, token, etag)
        elif (
            request.path in _public_feed_paths
            and request.method in ("GET", "HEAD")
            and getattr(settings, "PAGE_CACHE", True)
        ):
            value = caches["local"].get(_feed_key(public_feed_key(request)))
            if value is not None:
                return public_feed_response(request, *value)
        if len(_visitor_paths) > _VISITOR_PATHS_MAX:
            _visitor_paths.clear()
        if len(_public_feed_paths) > _VISITOR_PATHS_MAX:
            _public_feed_paths.clear()
        return self.get_response(request)


# Feeds that are the same for everyone (the national OPDS catalogues): cached by the view as
# (body, content type, digest of the body) under `public_feed_key`, answered by
# `public_feed_response` both there and, from this process's copy, by the middleware above.
_public_feed_paths: set[str] = set()


def public_feed_key(request: HttpRequest) -> list[str]:
    """`cached_feed`'s key parts for a public feed at this address."""
    return ["public-feed", request.build_absolute_uri()]


def public_feed(request: HttpRequest, build: Callable[[], tuple[bytes, str]]) -> HttpResponse:
    """The public feed at this address, built by `build()` (its bytes and content type) once
    per content version and language, with an ETag of its bytes."""
    value = cached_feed(public_feed_key(request), lambda: _with_digest(*build()))
    _public_feed_paths.add(request.path)
    return public_feed_response(request, *value)


def _with_digest(body: bytes, content_type: str) -> tuple[bytes, str, str]:
    return body, content_type, feed_digest(body)


def feed_digest(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def public_feed_response(request: HttpRequest, body: bytes, content_type: str, digest: str):
    """A feed anyone may have: apps poll feeds often, and they change when librarians edit, so
    shared caches keep it five minutes. The language switch is a cookie (see lib/locale.py), so
    a shared cache must not hand one child's English feed to another."""
    return feed_response(request, body, content_type, digest, ["Cookie"], public=True, max_age=300)


def feed_response(
    request: HttpRequest, body: bytes, content_type: str, digest: str, vary: list[str], **caching
) -> HttpResponse:
    """A feed with the ETag `digest` of its bytes (a 304 when the app has it already), varying
    by the `vary` headers, with Cache-Control `caching`."""
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = f'"{digest}"'
    patch_cache_control(response, **caching)
    patch_vary_headers(response, vary)
    return get_conditional_response(request, etag=response["ETag"], response=response)


# One builder per missed page (no stampede): on a cold cache, the many threads asking for the same
# page at once would each build it (seconds at 100,000 books, docs/performance.md). The first takes
# a short lock in the shared cache (`cache.add`, atomic in Redis and in LocMemCache); the others
# wait for its copy, polling, and build it themselves only if the lock goes without one appearing
# (the builder failed, or its page is not cacheable) or after BUILD_WAIT_SECONDS.
BUILD_LOCK_SECONDS = 30  # a builder that died leaves the lock this long at most
BUILD_WAIT_SECONDS = 10.0
BUILD_POLL_SECONDS = 0.05


@contextmanager
def _one_builder(key: str):
    """Yield the entry for `key` if another process or thread built it while we waited, else
    None: the caller builds it (holding the lock when it got it)."""
    lock = "building:" + key
    if cache.add(lock, 1, BUILD_LOCK_SECONDS):
        try:
            yield None
        finally:
            cache.delete(lock)
        return
    deadline = time.monotonic() + BUILD_WAIT_SECONDS
    entry = None
    while time.monotonic() < deadline:
        time.sleep(BUILD_POLL_SECONDS)
        entry = _get(key)
        if entry is not None or cache.get(lock) is None:
            entry = entry if entry is not None else _get(key)
            break
    yield entry


def _get(key: str):
    entry = caches["local"].get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            caches["local"].set(key, entry, TIMEOUT)
    return entry


def _set(key: str, entry) -> None:
    caches["local"].set(key, entry, TIMEOUT)
    cache.set(key, entry, TIMEOUT)


def _kept_headers(response: HttpResponse) -> list[tuple[str, str]]:
    skip = {"content-type", "content-length", "set-cookie"}
    return [(name, value) for name, value in response.items() if name.lower() not in skip]


def _render(view, request, args, kwargs) -> HttpResponse:
    """The view's answer, rendered for the cache (the CSRF token as a placeholder)."""
    request._page_cache_render = True
    try:
        return view(request, *args, **kwargs)
    finally:
        request._page_cache_render = False


def _cacheable(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _pieces(content: bytes) -> tuple[bytes, ...]:
    """The page cut at its CSRF placeholders, kept so: joining the pieces with a visitor's token
    copies the page once, where replacing the placeholder searched all of it (41 µs of a 94 KB
    page's 300 µs in process)."""
    return tuple(content.split(PLACEHOLDER.encode()))


def _filled(pieces: tuple[bytes, ...], token: str) -> bytes:
    return token.encode().join(pieces)


def _with_token(response: HttpResponse, token: str) -> HttpResponse:
    if not response.streaming and PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(PLACEHOLDER.encode(), token.encode())
    return response


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # The browser keeps the page but asks every time (304 while nothing changed): the page holds
    # the visitor's CSRF token and, for a child, the logged-in header.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _feed_key(key_parts: list[str]) -> str:
    parts = [content_version(), timezone.localdate().isoformat(), translation.get_language() or ""]
    return (
        "feed:" + hashlib.blake2b("\n".join(parts + key_parts).encode(), digest_size=20).hexdigest()
    )


def cached_feed(key_parts: list[str], build: Callable[[], object]) -> object:
    """`build()` once per content version, language and `key_parts` (feeds without a person)."""
    if not getattr(settings, "PAGE_CACHE", True):
        return build()
    key = _feed_key(key_parts)
    value = _get(key)
    if value is None:
        with _one_builder(key) as value:
            if value is None:
                value = build()
                _set(key, value)
    return value


# --- one child's own pages ---------------------------------------------------------------------
#
# A logged-in child's Mina böcker (and what is costly on their home page, their recommendations)
# is built for them alone and kept per child under a *child version*: any save or delete of a
# row of theirs in a watched app (`watch_personal`: loans, holds, favourites, reading positions,
# reading days, badges, challenges, ratings) replaces it, and so must every write that sends no
# signal (`bump_child`). The version lives in the shared cache only (never per process): a child
# who returns a book in one worker sees it gone in the next request, whichever worker answers.
# A page is never served to another child: its key holds the child's id and their version.

CHILD_VERSION_KEY = "bibblix:child-version:{}"
CHILD_GONE_KEY = "bibblix:child-gone:{}"
CHILD_TIMEOUT = 15 * 60
_personal: set[str] = set()


def child_version(patron_id: int) -> str:
    """The child's current version (made on first use)."""
    key = CHILD_VERSION_KEY.format(patron_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, _new_version(), CHILD_TIMEOUT * 4)
        version = cache.get(key) or _new_version()
    return version


def bump_child(*patron_ids: int | None, own_transaction: bool = False) -> None:
    """Make the cached pages of these children stale: now, and again when the transaction
    commits (at once outside one). `own_transaction`: the caller runs in a transaction of its
    own that reads no pages before it commits; then the delete after the commit is enough."""
    keys = [CHILD_VERSION_KEY.format(pk) for pk in set(patron_ids) if pk is not None]
    if not keys:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        cache.delete_many(keys)
        return
    # Other connections see the rows from the commit on, and a page is cached under the
    # version read *before* its rows: the delete after the commit is the one that counts (a
    # page built from the old rows meanwhile is kept under a version then gone). Deleting now
    # as well serves code that reads pages on this connection before the commit; a borrow's
    # transaction has none and spares the round trip, unless it is nested in another (a
    # test's, a management command's), which may read pages before its commit.
    if not (own_transaction and len(connection.atomic_blocks) == 1):
        cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def child_gone(*patron_ids: int | None) -> None:
    """These children's accounts were deleted: their pages are never served from a session
    again. A mark kept as long as a session lives (it outlasts any version made from a row read
    just before the deletion committed), set now and again when the transaction commits."""
    ids = [pk for pk in set(patron_ids) if pk is not None]
    if not ids:
        return

    def mark() -> None:
        cache.set_many({CHILD_GONE_KEY.format(pk): 1 for pk in ids}, settings.SESSION_COOKIE_AGE)
        cache.delete_many([CHILD_VERSION_KEY.format(pk) for pk in ids])

    mark()
    transaction.on_commit(mark)


def watch_personal(*labels: str) -> None:
    """Bump the child's version on any save or delete of these models' rows ("app" or
    "app.model" labels; the rows have a `patron_id`)."""
    _personal.update(label.lower() for label in labels)
    for signal in (post_save, post_delete):
        signal.connect(_on_personal_change, dispatch_uid="bibblix-child-cache")


def _on_personal_change(sender, instance=None, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or not (meta.app_label in _personal or meta.label_lower in _personal):
        return
    patron_id = getattr(instance, "patron_id", None)
    if patron_id is not None:
        bump_child(patron_id)


def _child_key(patron_id: int, key_parts: list[str]) -> str:
    parts = [
        str(patron_id),
        content_version(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        *key_parts,
    ]
    return "child2:" + hashlib.blake2b("\n".join(parts).encode(), digest_size=20).hexdigest()


def _child_lookup(patron_id: int, key_parts: list[str]) -> tuple[str, str, object]:
    """(the child's version, the entry's key, its value or None): one round trip to the cache for
    both the version and the entry (kept with the version it was built at)."""
    key = _child_key(patron_id, key_parts)
    version_key = CHILD_VERSION_KEY.format(patron_id)
    found = cache.get_many([version_key, key])
    version = found.get(version_key) or child_version(patron_id)
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return version, key, None
    return version, key, entry[1]


def cached_for_child(patron_id: int, key_parts: list[str], build: Callable[[], object]):
    """`build()` once per child version, content version, day, language and `key_parts`, for
    this child only (their recommendations)."""
    if not getattr(settings, "PAGE_CACHE", True):
        return build()
    version, key, value = _child_lookup(patron_id, key_parts)
    if value is None:
        value = build()
        cache.set(key, (version, value), CHILD_TIMEOUT)
    return value


def _child_etag(key: str, version: str, entry: tuple, secret: str) -> str:
    # The entry's end (days left move on) too: a page rebuilt under the same version differs.
    seed = f"{key}{version}{entry[3]}{secret}"
    return f'"{hashlib.blake2b(seed.encode(), digest_size=16).hexdigest()}"'


def child_page(patron: Callable[[HttpRequest], object], session_child=None):
    """Cache a logged-in child's page for that child alone (see above): `patron(request)` gives
    the child (None: not cached), checked against the database. The view may set
    `response.cache_until` (an aware datetime) when its page changes by the clock (a loan's days
    left).

    `session_child(request)`, when given, names the child from the session alone (their id, or
    None), with no query: a kept page is then served after one round trip to the cache for the
    child's version, their page and whether the child was deleted (`child_gone`), without
    reading the child's row. The version is only ever made after `patron(request)` found the
    child, and a flushed cache loses it (and so asks the database again)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if (
                not getattr(settings, "PAGE_CACHE", True)
                or request.method not in ("GET", "HEAD")
                or _has_messages(request)
            ):
                return view(request, *args, **kwargs)
            child_id = session_child(request) if session_child is not None else None
            checked = None
            if child_id is None:
                checked = patron(request)
                if checked is None:
                    return view(request, *args, **kwargs)
                child_id = checked.pk
            htmx = getattr(request, "htmx", None)
            key = _child_key(
                child_id,
                [
                    request.get_host(),
                    request.path,
                    "&".join(sorted(request.META.get("QUERY_STRING", "").split("&"))),
                    "fragment" if htmx and not htmx.boosted else "page",
                ],
            )
            version_key = CHILD_VERSION_KEY.format(child_id)
            gone_key = CHILD_GONE_KEY.format(child_id)
            found = cache.get_many([version_key, gone_key, key])
            version = found.get(version_key)
            entry = found.get(key)
            entry = entry[1] if entry is not None and version and entry[0] == version else None
            if entry is not None and entry[3] is not None and time.time() >= entry[3]:
                entry = None
            if checked is None and (entry is None or gone_key in found):
                # Not served from the session alone: the child's row decides, as for any page.
                # (A gone mark of a deletion rolled back costs this read, not the kept page.)
                checked = patron(request)
                if checked is None or checked.pk != child_id:
                    return view(request, *args, **kwargs)
            token = get_token(request)
            secret = request.META.get("CSRF_COOKIE", "")
            if entry is None:
                version = version or child_version(child_id)
                response = _render(view, request, args, kwargs)
                if not _cacheable(response):
                    return _with_token(response, token)
                until = getattr(response, "cache_until", None)
                until = until.timestamp() if until is not None else None
                timeout = CHILD_TIMEOUT
                if until is not None:
                    timeout = max(1, min(CHILD_TIMEOUT, int(until - time.time())))
                content = _pieces(response.content)
                entry = (content, response["Content-Type"], _kept_headers(response), until)
                cache.set(key, (version, entry), timeout)
                etag = _child_etag(key, version, entry, secret)
            else:
                etag = _child_etag(key, version, entry, secret)
                not_modified = get_conditional_response(request, etag=etag)
                if not_modified is not None:
                    return _headers(not_modified, etag)
            pieces, content_type, headers, _until = entry
            response = HttpResponse(_filled(pieces, token), content_type=content_type)
            for name, value in headers:
                response[name] = value
            return _headers(response, etag)

        return wrapper

    return decorate
