"""Housekeeping tasks that belong to no domain app."""

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task


@task()
def clear_sessions() -> int:
    """Delete expired sessions (what `manage.py clearsessions` does); returns how many."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
