"""The audit trail of catalogue curation: who changed what, and when."""

import datetime
from decimal import Decimal

from django.db import models

from .models import CatalogueChange


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


def record_change(user, action: str, obj: models.Model, changes: dict | None = None) -> None:
    """Write one audit row for `obj` (changes: {field: [before, after]})."""
    CatalogueChange.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        model=obj._meta.model_name,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes={
            field: [_plain(before), _plain(after)]
            for field, (before, after) in (changes or {}).items()
        },
    )
