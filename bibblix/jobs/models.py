"""Rows of the job machinery: a claimed schedule slot, and the lease and progress of a queued task.

Infrastructure: imports no domain app. The tasks themselves are django-tasks rows
(`django_tasks_db.DBTaskResult`); `TaskLease` adds what that backend lacks: attempts, a lease
the running worker keeps renewing (so another worker can take over a job whose worker died) and
progress for the staff area."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """One run of a scheduled job in one slot: the unique (job, slot) row is the claim, so two
    schedulers that both see the job due run it once."""

    job = models.CharField(_("job"), max_length=64)
    slot = models.DateTimeField(_("slot"))
    claimed_by = models.CharField(_("claimed by"), max_length=128)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="jobs_one_run_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M}"


class TaskLease(models.Model):
    """The running state of one queued task (keyed by its DBTaskResult id)."""

    task_id = models.UUIDField(_("task"), primary_key=True)
    task_path = models.CharField(_("task path"), max_length=255)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    worker_id = models.CharField(_("worker"), max_length=128, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_path} ({self.task_id})"
