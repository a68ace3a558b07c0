"""The reader page and the protected book resources behind it."""

import hashlib

from django.contrib import messages
from django.http import FileResponse, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from bibblix.catalogue import services as catalogue
from bibblix.lending import services as lending
from bibblix.lib import objects
from bibblix.patrons.services import get_patron

from . import package, pwa, services
from .security import ENTRY_CSP, FILE_CSP, reader_csp, with_csp
from .webpub import build_manifest

DUE_HEADER = "X-Bibblix-Loan-Due"


def _refuse(request, book):
    """Send the visitor to the book page with a friendly word (or home when it is gone)."""
    if get_patron(request) is None:
        messages.info(request, _("Log in with your library card and borrow the book to read it."))
    else:
        messages.info(request, _("Borrow the book first, then you can read it here."))
    if not catalogue.is_visible_to_children(book):
        return redirect("home")
    return redirect("catalogue:book", pk=book.pk)


def _epub_url(book, access) -> str:
    token = services.sign_access("epub", access)
    return f"{reverse('reader:epub', args=[book.pk])}?t={token}"


@require_GET
@cache_control(private=True, no_cache=True)
def reader_page(request, book_id: int):
    book = catalogue.get_book(book_id)
    access = services.find_access(get_patron(request), book)
    if access is None or not book.epub:
        return _refuse(request, book)
    context = {
        "book": book,
        "access": access,
        "config": pwa.reader_config(request, book, access, _epub_url(book, access)),
    }
    context["import_map"] = pwa.import_map()
    page = render(request, "reader/reader.html", context)
    response = with_csp(page, reader_csp((pwa.import_map_hash(),)))
    if access.due_at:
        response[DUE_HEADER] = access.due_at.isoformat()
    return response


@require_GET
@cache_control(private=True, no_cache=True)
def shelf(request):
    """The child's borrowed books on this device's start page of the installed app."""
    patron = get_patron(request)
    loans = list(lending.active_loans(patron).select_related("book")) if patron else []
    response = render(request, "reader/shelf.html", {"loans": loans})
    return with_csp(response, reader_csp())


@require_GET
def access(request, book_id: int):
    """Fresh signed URLs for an open reader page; 410 when the loan has ended."""
    book = catalogue.get_book(book_id)
    grant = services.find_access(get_patron(request), book)
    if grant is None:
        return JsonResponse({"detail": _("The loan has ended.")}, status=410)
    data = {
        "epub": _epub_url(book, grant),
        "expires_in": services.url_seconds(),
        "due_at": grant.due_at.isoformat() if grant.due_at else None,
    }
    return JsonResponse(data, headers={"Cache-Control": "private, no-store"})


def _denied(error: services.AccessDenied) -> HttpResponse:
    text = _("The loan has ended.") if error.status == 410 else _("This link is not valid.")
    response = HttpResponse(text, status=error.status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def _etag(book) -> str:
    digest = hashlib.sha256(f"{book.epub.name}:{book.updated_at.isoformat()}".encode())
    return f'"{digest.hexdigest()[:32]}"'


@require_GET
def epub_file(request, book_id: int):
    """The whole EPUB for the reader engine to open as a zip, with HTTP Range support."""
    try:
        grant = services.serve("epub", request.GET.get("t", ""), get_patron(request), book_id)
    except services.AccessDenied as error:
        return _denied(error)
    book = grant.book
    etag = _etag(book)
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-cache",
        "Content-Disposition": 'attachment; filename="book.epub"',
    }
    if grant.due_at:
        headers[DUE_HEADER] = grant.due_at.isoformat()
    if request.headers.get("If-None-Match") == etag:
        return with_csp(HttpResponse(status=304, headers=headers), FILE_CSP)
    bucket_url = objects.presigned_url(
        book.epub.storage, book.epub.name, services.object_url_seconds(), "application/epub+zip"
    )
    if bucket_url:  # object storage: the browser fetches it from the bucket, Range and all
        response = HttpResponse(status=302, headers={**headers, "Location": bucket_url})
        response["Cache-Control"] = "private, no-store"
        return with_csp(response, FILE_CSP)
    size = book.epub.size
    try:
        byte_range = package.parse_range(request.headers.get("Range", ""), size)
    except ValueError:
        headers["Content-Range"] = f"bytes */{size}"
        return with_csp(HttpResponse(status=416, headers=headers), FILE_CSP)
    handle = book.epub.storage.open(book.epub.name, "rb")
    if byte_range is None:
        response = FileResponse(handle, content_type="application/epub+zip", headers=headers)
    else:
        start, end = byte_range
        length = end - start + 1
        response = StreamingHttpResponse(
            package.iter_file(handle, start, length),
            status=206,
            content_type="application/epub+zip",
            headers={**headers, "Content-Range": f"bytes {start}-{end}/{size}"},
        )
        response["Content-Length"] = str(length)
    return with_csp(response, FILE_CSP)


@require_GET
def entry(request, book_id: int, token: str, path: str):
    """One entry of the EPUB, for the Readium manifest; scripts in it can never run."""
    try:
        grant = services.serve("pub", token, get_patron(request), book_id)
        data = package.read_entry(grant.book, path)
        media_type = package.media_type_of(grant.book, path)
    except services.AccessDenied as error:
        return _denied(error)
    except package.EntryMissing:
        return HttpResponse(status=404)
    response = HttpResponse(data, content_type=media_type)
    response["Cache-Control"] = "private, max-age=60"
    return with_csp(response, ENTRY_CSP)


@require_GET
def manifest(request, book_id: int):
    """The Readium Web Publication Manifest of a book the visitor may read."""
    book = catalogue.get_book(book_id)
    grant = services.find_access(get_patron(request), book)
    if grant is None or not book.epub:
        return JsonResponse({"detail": _("Borrow the book first.")}, status=403)
    try:
        data = build_manifest(request, book, services.sign_access("pub", grant))
    except package.EntryMissing:
        return JsonResponse({"detail": _("This book cannot be opened right now.")}, status=404)
    response = JsonResponse(data, content_type="application/webpub+json")
    response["Cache-Control"] = "private, no-store"
    return response
