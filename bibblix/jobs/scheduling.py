"""The scheduler's tick: enqueue each due job once per slot, claimed by a unique row."""

import logging
import os
import socket
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun
from .schedule import Job

logger = logging.getLogger(__name__)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def jobs() -> list[Job]:
    return import_string(settings.JOBS_SCHEDULE)


def current_slot(job: Job, now: datetime) -> datetime | None:
    """Start of the slot `now` falls in, or None while the job is not yet due in it."""
    slot = EPOCH + ((now - EPOCH) // job.every) * job.every
    return slot if now >= slot + job.at else None


def claim(job: Job, slot: datetime, claimer: str) -> ScheduledRun | None:
    """The slot's run row if this caller inserted it; None if another already had."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.name, slot=slot, claimed_by=claimer)
    except IntegrityError:
        return None


def tick(now: datetime | None = None, claimer: str | None = None) -> list[str]:
    """Enqueue every job due now that no scheduler has claimed for its slot; returns their names."""
    now = now or timezone.now()
    claimer = claimer or f"{socket.gethostname()}:{os.getpid()}"
    started = []
    for job in jobs():
        slot = current_slot(job, now)
        if slot is None:
            continue
        run = claim(job, slot, claimer)
        if run is None:
            continue
        result = import_string(job.task).enqueue()
        run.task_id = str(result.id)
        run.save(update_fields=["task_id"])
        logger.info("scheduled %s for slot %s as task %s", job.name, slot, result.id)
        started.append(job.name)
    return started
