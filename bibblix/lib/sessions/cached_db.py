"""SESSION_ENGINE with REDIS_URL: cached database sessions whose database read is lean."""

from django.contrib.sessions.backends import cached_db

from . import LeanRead


class SessionStore(LeanRead, cached_db.SessionStore):
    pass
