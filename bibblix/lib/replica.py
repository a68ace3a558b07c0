"""Reads that may come from a read replica (`DATABASE_REPLICA_URL`), and only those.

A request may read from the replica when it is a GET or HEAD under one of
`REPLICA_READ_PATHS` (catalogue pages, OPDS feeds, the statistics dashboards and reports): the
middleware marks it, and the router sends that request's reads of the tables of
`REPLICA_APPS` (catalogue, statistics, the member register) to the `replica` alias. A child's
session, loans and holds are always read from `default`, so nothing they just did looks undone.
Every
write, every read inside a transaction (`select_for_update`, the borrow's count) and every
other request (borrow, return, login, the staff area) uses `default`, so the loan path never
sees a lagging copy. Code outside a request (a report command) may use `reading_from_replica()`.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

REPLICA = "replica"
_reading = ContextVar("bibblix_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reading_from_replica():
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            _reading.get()
            and model._meta.app_label in settings.REPLICA_APPS
            and replica_configured()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and replica_configured()
            and request.path.startswith(tuple(settings.REPLICA_READ_PATHS))
        ):
            with reading_from_replica():
                return self.get_response(request)
        return self.get_response(request)
