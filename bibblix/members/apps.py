from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "bibblix.members"
    verbose_name = _("Member register")

    def ready(self) -> None:
        from . import roles, signals  # noqa: F401

        # After every app's migrations, since the roles grant permissions of other apps.
        post_migrate.connect(roles.sync_role_groups, dispatch_uid="bibblix_sync_role_groups")
