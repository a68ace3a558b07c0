"""Guards for children's pages and API endpoints."""

from functools import wraps

from django.shortcuts import redirect
from ninja.security import APIKeyCookie

from .services import get_patron


def patron_required(view):
    """Page decorator: a child must be logged in; otherwise go to the login page and come back."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        patron = get_patron(request)
        if patron is None:
            from urllib.parse import urlencode

            return redirect(f"/login/?{urlencode({'next': request.get_full_path()})}")
        request.patron = patron
        return view(request, *args, **kwargs)

    return wrapper


class PatronSessionAuth(APIKeyCookie):
    """API auth: the child's session cookie, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        patron = get_patron(request)
        if patron is not None:
            request.patron = patron
        return patron


patron_auth = PatronSessionAuth()
