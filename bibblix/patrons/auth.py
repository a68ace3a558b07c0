"""Guards for children's pages and API endpoints."""

from functools import wraps

from django.shortcuts import redirect
from ninja.security import APIKeyCookie, HttpBearer

from .services import authenticate_app_token, get_patron


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


class PatronBearerAuth(HttpBearer):
    """API auth for native apps: `Authorization: Bearer <token>` from POST /session with
    {"token": true}; no cookie, so no CSRF check (a browser never sends this header by itself)."""

    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        patron = authenticate_app_token(request, token)
        if patron is not None:
            request.patron = patron
            request.app_token = token
        return patron


patron_session_auth = PatronSessionAuth()
patron_bearer_auth = PatronBearerAuth()
# Every child's endpoint takes either: the app's bearer token first, else the web's cookie.
patron_auth = [patron_bearer_auth, patron_session_auth]
