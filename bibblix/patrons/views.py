from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bibblix.members import services as members

from . import services
from .forms import CardLoginForm

REFUSED = {
    "invalid": _("Wrong library card number or PIN. Try again!"),
    "blocked": _("Your card cannot be used right now. Ask at your library, they will help you."),
    "not_child": _("Bibblix is for children. Ask at your library about a child's card."),
}


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def login(request):
    municipality_id = request.GET.get("municipality") or request.POST.get("municipality")
    if not municipality_id:
        return redirect("home")
    municipality = get_object_or_404(members.connected_on(), pk=municipality_id)
    libraries = list(members.connected_libraries().filter(municipality=municipality))
    form = CardLoginForm(request.POST or None, libraries=libraries)
    if request.method == "GET" and len(libraries) == 1:
        form.initial["library"] = libraries[0].pk
    if request.method == "POST" and form.is_valid():
        library = next(lib for lib in libraries if lib.pk == form.cleaned_data["library"])
        outcome = services.check_local_card(
            library, form.cleaned_data["card"], form.cleaned_data["pin"]
        )
        if outcome == "ok":
            services.login_patron(
                request, services.patron_for_card(library, form.cleaned_data["card"])
            )
            return redirect(_next_url(request))
        form.add_error(None, REFUSED.get(outcome, REFUSED["invalid"]))
    return render(
        request,
        "patrons/login.html",
        {"form": form, "municipality": municipality, "next": _next_url(request)},
        status=200 if not form.errors else 401,
    )


@require_POST
def logout(request):
    services.logout_patron(request)
    messages.info(request, _("You are logged out. Welcome back!"))
    return redirect("home")
