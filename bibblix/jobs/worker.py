"""The task worker: django-tasks-db's worker plus leases, retries with back-off, and recovery.

- **Lease.** While a task runs, a heartbeat thread pushes its `TaskLease.lease_expires_at`
  forward every third of the lease. A RUNNING task whose lease has run out (its worker was
  killed, its machine lost) is put back in the queue by the next worker that looks.
- **Retries.** A task that raises is run again after 10 s, 20 s, 40 s … up to
  `JOBS_MAX_ATTEMPTS` attempts in all; then it stays FAILED with its traceback.
- Tasks must be idempotent (ours are), since a task whose worker died part-way runs again."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DBWorker
from django_tasks_db.models import DBTaskResult

from . import progress, scheduling
from .models import TaskLease

logger = logging.getLogger(__name__)


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=settings.JOBS_RETRY_BASE_SECONDS * 2 ** (attempt - 1))


def recover_expired(lease: timedelta, now=None) -> list:
    """Put back in the queue the RUNNING tasks whose worker stopped renewing its lease."""
    now = now or timezone.now()
    expired_lease = TaskLease.objects.filter(lease_expires_at__lt=now).values("task_id")
    leased = TaskLease.objects.values("task_id")
    stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).filter(
        Q(pk__in=expired_lease) | (~Q(pk__in=leased) & Q(started_at__lt=now - lease))
    )
    ids = list(stale.values_list("pk", flat=True))
    if ids:
        # A task that has used up its attempts (one that kills its worker every time) stops.
        spent = set(
            TaskLease.objects.filter(
                task_id__in=ids, attempts__gte=settings.JOBS_MAX_ATTEMPTS
            ).values_list("task_id", flat=True)
        )
        with transaction.atomic():
            running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
            running.filter(pk__in=spent).update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="bibblix.jobs.worker.WorkerLost",
                traceback="The worker running this task stopped on its last attempt.",
            )
            running.filter(pk__in=set(ids) - spent).update(
                status=TaskResultStatus.READY, run_after=now
            )
        logger.warning("recovered %d task(s) whose worker died: %s", len(ids), ids)
    return ids


class Heartbeat(threading.Thread):
    def __init__(self, task_id, lease: timedelta):
        super().__init__(daemon=True)
        self.task_id, self.lease, self.stopped = task_id, lease, threading.Event()

    def run(self):
        try:
            while not self.stopped.wait(self.lease.total_seconds() / 3):
                TaskLease.objects.filter(pk=self.task_id).update(
                    lease_expires_at=timezone.now() + self.lease
                )
        finally:
            connection.close()


class Housekeeper(threading.Thread):
    """Beside the worker loop: recover tasks whose lease ran out (and, embedded, schedule)."""

    def __init__(self, worker: "Worker"):
        super().__init__(daemon=True)
        self.worker, self.stopped = worker, threading.Event()

    def run(self):
        try:
            while not self.stopped.is_set():
                try:
                    recover_expired(self.worker.lease)
                    if self.worker.with_scheduler:
                        scheduling.tick(claimer=self.worker.worker_id)
                except Exception:
                    logger.exception("housekeeping failed; trying again")
                self.stopped.wait(max(self.worker.interval, 1.0))
        finally:
            connection.close()


class Worker(DBWorker):
    def __init__(self, *, lease: timedelta, with_scheduler: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.lease, self.with_scheduler = lease, with_scheduler

    def run(self) -> None:
        keeper = Housekeeper(self)
        keeper.start()
        try:
            super().run()
        finally:
            keeper.stopped.set()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        lease, _ = TaskLease.objects.get_or_create(
            task_id=db_task_result.pk, defaults={"task_path": db_task_result.task_path}
        )
        lease.attempts += 1
        lease.worker_id = self.worker_id
        lease.lease_expires_at = timezone.now() + self.lease
        lease.save()
        heartbeat = Heartbeat(db_task_result.pk, self.lease)
        heartbeat.start()
        progress.set_current(db_task_result.pk)
        try:
            super().run_task(db_task_result)
        finally:
            progress.set_current(None)
            heartbeat.stopped.set()
            heartbeat.join()
        TaskLease.objects.filter(pk=lease.pk).update(lease_expires_at=None)
        db_task_result.refresh_from_db()
        if (
            db_task_result.status == TaskResultStatus.FAILED
            and lease.attempts < settings.JOBS_MAX_ATTEMPTS
        ):
            retry_at = timezone.now() + backoff(lease.attempts)
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(
                status=TaskResultStatus.READY, run_after=retry_at, finished_at=None
            )
            logger.warning(
                "task %s failed (attempt %d), retrying at %s",
                db_task_result.pk,
                lease.attempts,
                retry_at,
            )
        close_old_connections()
