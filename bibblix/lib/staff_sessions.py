"""Short sessions for staff: at most STAFF_SESSION_SECONDS after login and STAFF_IDLE_SECONDS
after the last request. Children keep their long session (SESSION_COOKIE_AGE): a staff account
can change every municipality's data, a child's can borrow books.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LOGIN_AT = "_staff_login_at"
SEEN_AT = "_staff_seen_at"
# The last-seen time is written at most this often, not on every request.
SEEN_RESOLUTION = 60


class StaffSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        now = int(time.time())
        session = request.session
        login_at = session.setdefault(LOGIN_AT, now)
        seen_at = session.get(SEEN_AT, now)
        if (
            now - login_at > settings.STAFF_SESSION_SECONDS
            or now - seen_at > settings.STAFF_IDLE_SECONDS
        ):
            logout(request)  # the admin then asks for the password again
            return
        if now - seen_at >= SEEN_RESOLUTION or SEEN_AT not in session:
            session[SEEN_AT] = now
            # The cookie dies with the idle timeout too, or at the end of the session.
            remaining = settings.STAFF_SESSION_SECONDS - (now - login_at)
            session.set_expiry(max(1, min(remaining, settings.STAFF_IDLE_SECONDS)))


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs) -> None:
    """The session's clock starts at the password (a session kept from before does not count)."""
    if request is not None and hasattr(request, "session") and user.is_staff:
        request.session[LOGIN_AT] = request.session[SEEN_AT] = int(time.time())
        request.session.set_expiry(min(settings.STAFF_SESSION_SECONDS, settings.STAFF_IDLE_SECONDS))
