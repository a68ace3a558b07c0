"""The worker: a job whose worker is killed is finished once by another; failures are retried
with back-off; progress and attempts show in the staff area."""

import os
import signal
import time
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from bibblix.jobs.models import TaskLease
from bibblix.jobs.tests.helpers import manage
from bibblix.jobs.tests.tasks_for_tests import failing_twice, slow_trace
from bibblix.jobs.worker import backoff, recover_expired

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER = {"TASKS_BACKEND": "database"}


def _wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except Exception:
            process.kill()
            process.wait()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_job_whose_worker_is_killed_is_finished_once_by_another_worker(tmp_path):
    trace = tmp_path / "trace"
    result = slow_trace.enqueue(str(trace), 3.0)
    first = manage(
        "run_worker", "--interval", "0.2", "--lease", "1.5", "--worker-id", "first", **WORKER
    )
    try:
        _wait_for(lambda: trace.exists() and "start" in trace.read_text())
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        _stop(first)
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.RUNNING

    second = manage(
        "run_worker", "--interval", "0.2", "--lease", "1.5", "--worker-id", "second", **WORKER
    )
    try:
        _wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
        )
    finally:
        _stop(second)
    lines = [line.split() for line in trace.read_text().splitlines()]
    assert [word for word, _pid in lines] == ["start", "start", "done"]
    assert lines[0][1] == str(first.pid) and lines[2][1] == str(second.pid)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.worker_ids == ["first", "second"]
    assert TaskLease.objects.get(pk=result.id).attempts == 2


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_failing_job_is_retried_with_back_off_until_it_succeeds(tmp_path):
    trace = tmp_path / "trace"
    result = failing_twice.enqueue(str(trace))
    worker = manage("run_worker", "--interval", "0.2", **WORKER, JOBS_RETRY_BASE_SECONDS="1")
    started = time.monotonic()
    try:
        _wait_for(
            lambda: DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
        )
    finally:
        _stop(worker)
    assert time.monotonic() - started >= 3  # waited 1 s, then 2 s
    assert trace.read_text().count("try") == 3
    assert TaskLease.objects.get(pk=result.id).attempts == 3
    assert DBTaskResult.objects.get(pk=result.id).return_value == 3


def test_back_off_doubles():
    assert [backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_recovery_leaves_a_job_whose_lease_is_renewed():
    alive = slow_trace.enqueue("/nonexistent", 0)
    dead = slow_trace.enqueue("/nonexistent", 0)
    now = timezone.now()
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=now)
    TaskLease.objects.create(
        task_id=alive.id, task_path="x", lease_expires_at=now + timedelta(seconds=30)
    )
    TaskLease.objects.create(
        task_id=dead.id, task_path="x", lease_expires_at=now - timedelta(seconds=1)
    )
    assert [str(pk) for pk in recover_expired(timedelta(seconds=60))] == [str(dead.id)]
    assert DBTaskResult.objects.get(pk=alive.id).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=dead.id).status == TaskResultStatus.READY


@pytest.mark.django_db
def test_the_job_list_shows_progress_and_attempts(admin_client):
    TaskLease.objects.create(
        task_id="6f1c1a52-3a4f-4a53-9a3e-6f3c7c1f0f10",
        task_path="bibblix.catalogue.tasks.import_epub_file",
        attempts=2,
        progress_done=40,
        progress_total=100,
    )
    finished = TaskLease.objects.create(
        task_id="7f1c1a52-3a4f-4a53-9a3e-6f3c7c1f0f11", task_path="import_uploaded_epub"
    )
    DBTaskResult.objects.create(
        id=finished.task_id,
        status=TaskResultStatus.SUCCESSFUL,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="bibblix.catalogue.tasks.import_uploaded_epub",
        backend_name="default",
        run_after=timezone.now(),
        return_value={"refused": "The file is not an EPUB"},
    )
    response = admin_client.get("/staff/jobs/tasklease/")
    assert response.status_code == 200
    assert b"40 / 100" in response.content and b"import_epub_file" in response.content
    assert b"The file is not an EPUB" in response.content


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_mode_the_worker_also_schedules(tmp_path):
    from bibblix.jobs.models import ScheduledRun

    trace = tmp_path / "trace"
    worker = manage(
        "run_worker",
        "--interval",
        "0.2",
        "--with-scheduler",
        **WORKER,
        JOBS_SCHEDULE="bibblix.jobs.tests.tasks_for_tests.JOBS",
        JOBS_TEST_FILE=str(trace),
    )
    try:
        _wait_for(lambda: trace.exists() and "done" in trace.read_text())
        time.sleep(1.5)  # more housekeeping turns in the same slot enqueue nothing more
    finally:
        _stop(worker)
    assert trace.read_text().count("done") == 1
    run = ScheduledRun.objects.get(job="trace")
    assert DBTaskResult.objects.get(pk=run.task_id).status == TaskResultStatus.SUCCESSFUL


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS, JOBS_MAX_ATTEMPTS=3)
def test_a_job_that_keeps_killing_its_worker_stops_after_its_attempts():
    doomed = slow_trace.enqueue("/nonexistent", 0)
    now = timezone.now()
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, started_at=now)
    TaskLease.objects.create(
        task_id=doomed.id, task_path="x", attempts=3, lease_expires_at=now - timedelta(seconds=1)
    )
    recover_expired(timedelta(seconds=60))
    row = DBTaskResult.objects.get(pk=doomed.id)
    assert row.status == TaskResultStatus.FAILED
    assert row.exception_class_path == "bibblix.jobs.worker.WorkerLost"
