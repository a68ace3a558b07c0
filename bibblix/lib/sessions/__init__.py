"""Django's database sessions, read with one lean query (bibblix.lib.rows).

Every request of a logged-in child loads its session. Django's own store builds that SELECT
through the ORM, which costs more CPU than the rest of a borrow's reads together; these stores
read the same row by its primary key and check the expiry in Python. Writing, cycling keys and
clearing expired sessions stay Django's. `db` is the embedded mode's engine, `cached_db` the
production one (with REDIS_URL: Redis first, the database when the cache misses).
"""

from django.utils import timezone

from bibblix.lib.rows import get_row


class LeanRead:
    def _get_session_from_db(self):
        session = get_row(self.model, "session_key", self.session_key) if self.session_key else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
