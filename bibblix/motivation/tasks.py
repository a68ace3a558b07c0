"""Scheduled reading-joy jobs as tasks (inline in the embedded mode, a worker in production).
Idempotent: recounting replaces the table in one transaction."""

from django_tasks import task

from . import services


@task()
def compute_co_reading_task() -> int:
    return services.compute_co_reading()
