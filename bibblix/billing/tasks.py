"""Scheduled billing jobs as tasks (inline in the embedded mode, a worker in production).
Idempotent: a reminder is sent at most once per invoice and level, however often this runs."""

from django_tasks import task

from .reminders import send_reminders


@task()
def send_reminders_task() -> int:
    """Send the payment reminders due today; returns how many were sent."""
    return sum(1 for outcome in send_reminders() if outcome.outcome == "sent")
