"""Scheduled lending jobs as tasks (inline in the embedded mode, a worker in production).
Both are idempotent: running them twice, or again after a crash, changes nothing more."""

from django_tasks import task

from . import services
from .retention import apply_retention


@task()
def expire_loans_task() -> list[int]:
    return list(services.expire_loans())


@task()
def apply_retention_task() -> list[int]:
    return list(apply_retention())
