"""Tasks and a schedule that leave a trace in a file, for the scheduler and worker tests (they
run in subprocesses, which import this module by its dotted path)."""

import os
import time
from datetime import timedelta

from django_tasks import task

from bibblix.jobs.schedule import Job


def _trace(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as file:
        file.write(f"{line} {os.getpid()}\n")
        file.flush()
        os.fsync(file.fileno())


@task()
def slow_trace(path: str, seconds: float) -> str:
    _trace(path, "start")
    time.sleep(seconds)
    _trace(path, "done")
    return "ok"


@task()
def failing_twice(path: str) -> int:
    """Fails on its first two attempts, then succeeds."""
    _trace(path, "try")
    with open(path, encoding="utf-8") as file:
        tries = sum(1 for line in file if line.startswith("try"))
    if tries < 3:
        raise RuntimeError(f"attempt {tries} fails")
    return tries


@task()
def scheduled_trace() -> str:
    _trace(os.environ["JOBS_TEST_FILE"], "start")
    time.sleep(0.5)
    _trace(os.environ["JOBS_TEST_FILE"], "done")
    return "ok"


JOBS = [Job("trace", "bibblix.jobs.tests.tasks_for_tests.scheduled_trace", every=timedelta(days=1))]
