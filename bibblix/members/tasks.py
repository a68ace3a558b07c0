"""Scheduled members work as a task: announce go-live dates (idempotent: each go-live is
announced once, so a rerun sends nothing twice)."""

from django_tasks import task

from .notifications import notify_go_live


@task()
def notify_go_live_task(days: int = 14) -> int:
    return len(notify_go_live(days=days))
