"""Record and read the audit trail. Every app writes here through `record_change`."""

import datetime
from decimal import Decimal

from django.db import models

from .models import AuditEntry


def _plain(value):
    """A JSON-friendly form of a field value (dates as ISO text, rows and files by name)."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(item) for item in value)
    if hasattr(value, "name") and not isinstance(value, str):
        return value.name or ""
    return value


def _acting_municipality_id(user) -> int | None:
    profile = getattr(user, "staff_profile", None)
    return getattr(profile, "municipality_id", None)


def record_change(
    user,
    action: str,
    obj: models.Model,
    changes: dict | None = None,
    reason: str = "",
    municipality_id: int | None = None,
) -> AuditEntry:
    """Write one audit entry for `obj` (changes: {field: [before, after]}); `municipality_id` is
    the municipality the change concerns (by default the acting staff user's own)."""
    entry = audit_entry(user, action, obj, changes, reason, municipality_id)
    entry.save(force_insert=True)
    return entry


def audit_entry(
    user,
    action: str,
    obj: models.Model,
    changes: dict | None = None,
    reason: str = "",
    municipality_id: int | None = None,
) -> AuditEntry:
    """The entry `record_change` writes, not yet saved: for writing many with one insert
    (`AuditEntry.objects.bulk_create`, e.g. a batch of imported books)."""
    is_user = getattr(user, "is_authenticated", False)
    if municipality_id is None and is_user:
        municipality_id = _acting_municipality_id(user)
    return AuditEntry(
        user=user if is_user else None,
        username=user.get_username() if is_user else "",
        action=str(action),
        app_label=obj._meta.app_label,
        model=obj._meta.model_name,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes={
            str(field): [_plain(before), _plain(after)]
            for field, (before, after) in (changes or {}).items()
        },
        reason=reason,
        municipality_id=municipality_id,
    )


def history_for(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """The audit entries of `obj`, newest first."""
    return AuditEntry.objects.filter(
        app_label=obj._meta.app_label, model=obj._meta.model_name, object_id=str(obj.pk)
    ).select_related("user")
