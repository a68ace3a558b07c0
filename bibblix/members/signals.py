"""Keep a staff user's groups in step with their role, and the cache of connected
municipalities in step with connection events and organisations."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ConnectionEvent, Organisation, StaffProfile
from .roles import ROLE_PERMISSIONS, group_name


@receiver(post_save, sender=ConnectionEvent, dispatch_uid="members-connected-event-saved")
@receiver(post_delete, sender=ConnectionEvent, dispatch_uid="members-connected-event-deleted")
@receiver(post_save, sender=Organisation, dispatch_uid="members-connected-organisation-saved")
@receiver(post_delete, sender=Organisation, dispatch_uid="members-connected-organisation-deleted")
def connections_changed(sender, **kwargs) -> None:
    """The one place that clears the cached connected municipalities (services.py)."""
    from .services import forget_connected_municipalities

    forget_connected_municipalities()


@receiver(post_save, sender=StaffProfile)
def give_role_group(sender, instance: StaffProfile, **kwargs) -> None:
    from django.contrib.auth.models import Group

    user = instance.user
    role_groups = Group.objects.filter(name__in=[group_name(role) for role in ROLE_PERMISSIONS])
    user.groups.remove(*role_groups)
    group, _created = Group.objects.get_or_create(name=group_name(instance.role))
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
