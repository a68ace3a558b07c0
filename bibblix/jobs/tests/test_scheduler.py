"""Scheduled jobs run once per slot, however many schedulers see them due."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from bibblix.jobs import scheduling
from bibblix.jobs.models import ScheduledRun
from bibblix.jobs.schedule import JOBS, Job
from bibblix.jobs.tests.helpers import manage

TEST_SCHEDULE = "bibblix.jobs.tests.tasks_for_tests.JOBS"


def test_a_daily_job_is_due_from_its_time_in_its_slot():
    job = Job("x", "x.y", every=timedelta(days=1), at=timedelta(hours=2))
    assert scheduling.current_slot(job, datetime(2026, 3, 4, 1, 59, tzinfo=UTC)) is None
    assert scheduling.current_slot(job, datetime(2026, 3, 4, 2, 0, tzinfo=UTC)) == datetime(
        2026, 3, 4, tzinfo=UTC
    )
    assert scheduling.current_slot(job, datetime(2026, 3, 4, 23, 0, tzinfo=UTC)) == datetime(
        2026, 3, 4, tzinfo=UTC
    )


def test_every_scheduled_task_exists_and_takes_no_arguments():
    from django.utils.module_loading import import_string
    from django_tasks.base import Task

    names = {job.name for job in JOBS}
    assert {"expire_loans", "apply_retention", "roll_up_statistics", "notify_go_live"} <= names
    assert "clear_sessions" in names
    for job in JOBS:
        assert isinstance(import_string(job.task), Task), job.task


@pytest.mark.django_db
@override_settings(JOBS_SCHEDULE=TEST_SCHEDULE)
def test_a_second_tick_in_the_same_slot_enqueues_nothing_and_the_next_slot_runs_again(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("JOBS_TEST_FILE", str(tmp_path / "trace"))
    now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    assert scheduling.tick(now) == ["trace"]
    assert scheduling.tick(now + timedelta(hours=3)) == []
    assert scheduling.tick(now + timedelta(days=1)) == ["trace"]
    assert ScheduledRun.objects.count() == 2
    assert (tmp_path / "trace").read_text().count("done") == 2


@pytest.mark.django_db
def test_the_real_schedule_runs_its_jobs_inline_in_the_embedded_mode():
    """With the immediate backend every real job runs at once, without error."""
    started = scheduling.tick(datetime(2026, 3, 4, 23, 30, tzinfo=UTC))
    assert sorted(started) == sorted(job.name for job in JOBS)


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_run_a_due_job_once(tmp_path):
    trace = tmp_path / "trace"
    env = {
        "JOBS_SCHEDULE": TEST_SCHEDULE,
        "JOBS_TEST_FILE": str(trace),
        "TASKS_BACKEND": "immediate",
    }
    processes = [manage("scheduler", "--once", **env) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()
    lines = trace.read_text().splitlines()
    assert [line.split()[0] for line in lines] == ["start", "done"]
    assert ScheduledRun.objects.filter(job="trace").count() == 1
    assert b"enqueued trace" in b"".join(out for out, _err in outputs)
