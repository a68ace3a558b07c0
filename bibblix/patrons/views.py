from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibblix.members import services as members

from . import services
from .forms import CardLoginForm

# The catalogue's shelf of books librarians chose as free to try (read without a card).
FREE_BOOKS_URL = "/books/free/"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def _municipality(request):
    value = request.GET.get("municipality") or request.POST.get("municipality") or ""
    if not value.isdigit():
        return None
    return members.connected_on().filter(pk=int(value)).first()


def login(request):
    """Choose a municipality, then the library (if several), card number and PIN."""
    if request.GET.get("municipality") is None and request.method == "GET":
        municipalities = members.connected_on().order_by("name")
        return render(request, "patrons/choose.html", {"municipalities": municipalities})
    municipality = _municipality(request)
    libraries = list(members.connected_libraries().filter(municipality=municipality))
    if municipality is None or not libraries:
        return redirect(f"/utan-lanekort/?{request.GET.urlencode()}")
    form = CardLoginForm(request.POST or None, libraries=libraries)
    result = None
    if request.method == "POST" and form.is_valid():
        library = next(lib for lib in libraries if lib.pk == form.cleaned_data["library"])
        result = services.log_in(
            request, library, form.cleaned_data["card"], form.cleaned_data["pin"]
        )
        if result.ok:
            return redirect(_next_url(request))
    if result is None:
        status = 400 if form.errors else 200
    else:
        status = services.http_status(result.reason)
    return render(
        request,
        "patrons/login.html",
        {
            "form": form,
            "municipality": municipality,
            "next": _next_url(request),
            "result": result,
            "free_books_url": FREE_BOOKS_URL,
        },
        status=status,
    )


def no_card(request):
    """For a child without a card, or whose library is not connected: how to get a card, and
    the books anyone may try."""
    municipality = None
    value = request.GET.get("municipality", "")
    if value.isdigit():
        municipality = members.connected_on().filter(pk=int(value)).first()
    return render(
        request,
        "patrons/no_card.html",
        {
            "municipality": municipality,
            "asked_for_other": bool(value) and municipality is None,
            "free_books_url": FREE_BOOKS_URL,
        },
    )


@require_POST
def logout(request):
    services.logout_patron(request)
    messages.info(request, _("You are logged out. Welcome back!"))
    response = redirect("home")
    response["Clear-Site-Data"] = services.CLEAR_SITE_DATA
    return response
