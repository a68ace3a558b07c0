from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatronsConfig(AppConfig):
    name = "bibblix.patrons"
    verbose_name = _("Children's accounts")

    def ready(self) -> None:
        from django.core import checks

        from bibblix.lib import client_address

        # Children's logins used RATELIMIT_IP_META_KEY before TRUSTED_PROXIES: warn while set.
        checks.register(client_address.check_settings, checks.Tags.security)

        from django.db.models.signals import post_delete

        from .models import Patron

        # A deleted child's session no longer shows their kept pages (lib/page_cache.child_page
        # serves those from the session without reading the child's row).
        post_delete.connect(_child_deleted, sender=Patron, dispatch_uid="patrons-child-gone")


def _child_deleted(sender, instance, **kwargs) -> None:
    from bibblix.lib import page_cache

    page_cache.child_gone(instance.pk)
