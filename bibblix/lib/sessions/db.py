"""SESSION_ENGINE for the embedded mode: database sessions with a lean read."""

from django.contrib.sessions.backends import db

from . import LeanRead


class SessionStore(LeanRead, db.SessionStore):
    pass
