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
