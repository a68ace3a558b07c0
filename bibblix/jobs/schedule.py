"""What runs when: every scheduled job, declared here and nowhere else.

`manage.py scheduler` (one process in production) or `manage.py run_worker --with-scheduler`
(the embedded mode) enqueues each job once per slot. Tasks are named by dotted path so this
module imports no app (and so nothing here imports billing or insights). Every task is
idempotent: run late, twice or again after a crash, it changes nothing more.

A slot is `every` long, counted from midnight UTC; the job is due `at` into its slot."""

from dataclasses import dataclass
from datetime import timedelta

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path to a django-tasks Task
    every: timedelta
    at: timedelta = timedelta(0)


JOBS = [
    Job(
        "expire_loans",
        "bibblix.lending.tasks.expire_loans_task",
        every=HOUR,
        at=timedelta(minutes=5),
    ),
    Job(
        "roll_up_statistics",
        "bibblix.insights.tasks.roll_up_statistics_task",
        every=DAY,
        at=timedelta(hours=1, minutes=15),
    ),
    Job(
        "apply_retention",
        "bibblix.lending.tasks.apply_retention_task",
        every=DAY,
        at=timedelta(hours=2, minutes=30),
    ),
    Job("clear_sessions", "bibblix.jobs.tasks.clear_sessions", every=DAY, at=timedelta(hours=3)),
    Job(
        "notify_go_live",
        "bibblix.members.tasks.notify_go_live_task",
        every=DAY,
        at=timedelta(hours=6),
    ),
    Job(
        "send_reminders",
        "bibblix.billing.tasks.send_reminders_task",
        every=DAY,
        at=timedelta(hours=7),
    ),
]
