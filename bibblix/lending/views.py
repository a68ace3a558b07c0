"""Mina böcker (the child's own page) and the lending buttons of the book page.

The buttons post with htmx and get the re-rendered buttons back; without JavaScript the same
forms post normally and come back to the page they came from.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibblix.catalogue import services as catalogue
from bibblix.lib.page_cache import child_page
from bibblix.patrons.auth import patron_required
from bibblix.patrons.services import get_patron, session_child

from . import services


@child_page(get_patron, session_child)
@patron_required
def my_books(request):
    """Mina böcker, kept for the child until something of theirs changes (page_cache)."""
    patron = request.patron
    loans = sorted(services.reading_now(patron), key=lambda loan: loan.due_at)
    context = {
        "loans": loans,
        "holds": services.patron_holds(patron),
        "favourites": services.favourites(patron),
        "finished": services.finished_books(patron),
    }
    response = render(request, "lending/my_books.html", context)
    # The days left of a loan change by the clock, and an ended loan leaves the page.
    response.cache_until = min(
        (services.next_days_left_change(loan) for loan in loans), default=None
    )
    return response


def _next(request, default: str) -> str:
    """Where to go after a plain form post: the page the form came from, on this site only."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _book_or_404(book_id: int):
    book = catalogue.get_children_book(book_id)
    if book is None:
        raise Http404
    return book


def _answer(request, book, *, error: str = "", notice: str = ""):
    """The new buttons for htmx, or back to the book page for a plain form post."""
    if request.htmx:
        context = {"book": book, "patron": request.patron, "error": error, "notice": notice}
        return render(request, "lending/_book_actions.html", context)
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(_next(request, reverse("catalogue:book", args=[book.pk])))


@require_POST
@patron_required
def borrow_book(request, book_id: int):
    book = _book_or_404(book_id)
    try:
        services.borrow(request.patron, book.pk)
    except services.LendingRefused as refusal:
        return _answer(request, book, error=refusal.detail)
    return _answer(request, book, notice=_("The book is yours for now. Happy reading!"))


@require_POST
@patron_required
def hold_book(request, book_id: int):
    book = _book_or_404(book_id)
    try:
        services.place_hold(request.patron, book.pk)
    except services.LendingRefused as refusal:
        return _answer(request, book, error=refusal.detail)
    return _answer(request, book, notice=_("You are in the queue. The book comes to you."))


@require_POST
@patron_required
def favourite_book(request, book_id: int):
    book = _book_or_404(book_id)
    services.toggle_favourite(request.patron, book.pk)
    return _answer(request, book)


@require_POST
@patron_required
def finish_book(request, book_id: int):
    book = _book_or_404(book_id)
    try:
        services.mark_finished(request.patron, book.pk)
    except services.BookNotFound:  # deleted since the line above
        raise Http404 from None
    messages.success(request, _("Well done! The book is on your list of finished books."))
    return redirect("lending:my_books")


@require_POST
@patron_required
def return_book(request, loan_id: int):
    loan = services.return_loan(request.patron, loan_id)
    if loan is None:
        raise Http404
    messages.success(request, _("You have returned “%(title)s”.") % {"title": loan.book.title})
    return redirect(_next(request, reverse("lending:my_books")))


@require_POST
@patron_required
def cancel_hold(request, hold_id: int):
    if not services.cancel_hold(request.patron, hold_id):
        raise Http404
    messages.success(request, _("You have left the queue."))
    return redirect(_next(request, reverse("lending:my_books")))
