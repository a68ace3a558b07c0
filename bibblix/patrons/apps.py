from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatronsConfig(AppConfig):
    name = "bibblix.patrons"
    verbose_name = _("Children's accounts")

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_delete, post_save

        from bibblix.lib import client_address
        from bibblix.members.models import ConnectionEvent, Organisation

        from .services import forget_connected_municipalities

        # get_patron caches which municipalities are connected: a change clears it at once.
        for model in (ConnectionEvent, Organisation):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_connected_municipalities, sender=model, dispatch_uid=f"patrons-{model}"
                )
        # Children's logins used RATELIMIT_IP_META_KEY before TRUSTED_PROXIES: warn while set.
        checks.register(client_address.check_settings, checks.Tags.security)
