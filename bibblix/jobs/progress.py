"""Progress of the task this thread is running, for the staff area's job list.

A task calls `report(done, total)` now and then; outside a worker (inline tasks in the embedded
mode and in tests) it does nothing."""

import threading

_current = threading.local()


def set_current(task_id) -> None:
    _current.task_id = task_id


def report(done: int, total: int | None = None) -> None:
    task_id = getattr(_current, "task_id", None)
    if task_id is None:
        return
    from .models import TaskLease

    TaskLease.objects.filter(pk=task_id).update(progress_done=done, progress_total=total)
