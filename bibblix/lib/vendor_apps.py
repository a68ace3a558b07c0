"""Other projects' apps under a name in the staff member's language.

The staff area shows each installed app as a heading; django-axes and django-tasks' database
backend name theirs in English without translation ("Axes", "Tasks Database Backend"). These
configs are theirs with a translated `verbose_name` and nothing else changed (settings.py lists
them in INSTALLED_APPS instead of the bare app names). Their fields' labels, which the projects
do mark for translation, are translated in bibblix/thirdparty/locale."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class LoginLockoutsConfig(AxesAppConfig):
    verbose_name = _("Login attempts and lockouts")


class BackgroundJobsConfig(TasksAppConfig):
    verbose_name = _("Background job results")
