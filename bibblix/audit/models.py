"""The one audit trail of every app: who, when, what (before and after), why. Read-only, kept
forever. Infrastructure like `lib`: this app imports no domain app, and every app may record here."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        """Common actions; an app may record another verb where none of these fits."""

        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RESTORED = "restored", _("Restored")
        IMPORTED = "imported", _("Imported")
        APPROVED = "approved", _("Approved")
        CREDITED = "credited", _("Credited")
        MATCHED = "matched", _("Matched manually")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    # The user's name as it was, so the trail still says who after the account is gone.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, db_index=True)
    app_label = models.CharField(_("area"), max_length=40)
    model = models.CharField(_("kind"), max_length=60)
    object_id = models.CharField(_("row"), max_length=40)
    object_repr = models.CharField(_("what"), max_length=300)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("why"), blank=True)
    # The municipality the change concerns (a plain id: the trail outlives the organisation);
    # a municipality's staff see only their own municipality's entries.
    municipality_id = models.IntegerField(_("municipality id"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["app_label", "model", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action_label} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")

    @property
    def action_label(self) -> str:
        """The recorded verb as staff read it: the common ones and a few others translated."""
        try:
            return str(self.Action(self.action).label)
        except ValueError:
            return str(OTHER_ACTIONS.get(self.action, self.action))


# Verbs apps record besides the common ones (AuditEntry.Action), as staff read them.
OTHER_ACTIONS = {
    "add": AuditEntry.Action.CREATED.label,
    "change": AuditEntry.Action.CHANGED.label,
    "delete": AuditEntry.Action.DELETED.label,
    "approve": AuditEntry.Action.APPROVED.label,
    "approve_statusreport": AuditEntry.Action.APPROVED.label,
    "credit": AuditEntry.Action.CREDITED.label,
    "statusreport_draft": _("New draft"),
    "two-factor enrolled": _("Two-step login set up"),
    "data exported": _("Data handed out"),
    "data deleted": _("Data deleted"),
}
