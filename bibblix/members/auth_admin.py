"""Staff users and role groups in the staff area with their permissions in Swedish.

Django stores each permission's name ("Can add book") in English when it is created, and its
user and group pages list those names as they are. Here they are shown from the codename and the
model's translated name instead ("Kan lägga till bok"); custom permissions (declared with a
translated name in a model's Meta.permissions) through the catalogue's translation."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext, gettext_lazy

ACTIONS = {
    "add": gettext_lazy("Can add %(model)s"),
    "change": gettext_lazy("Can change %(model)s"),
    "delete": gettext_lazy("Can delete %(model)s"),
    "view": gettext_lazy("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    """'Area | kind | what it allows', all in the staff member's language."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in ACTIONS and model_name == model._meta.model_name:
        allows = str(ACTIONS[action]) % {"model": model._meta.verbose_name}
    else:
        allows = gettext(permission.name)
    return f"{permission.content_type} | {allows}"


class PermissionsInSwedish:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


def _show_permissions_in_the_staff_language() -> None:
    User = get_user_model()
    for model in (User, Group):
        current = type(admin.site.get_model_admin(model))
        if issubclass(current, PermissionsInSwedish):
            continue
        admin.site.unregister(model)
        admin.site.register(model, type(current.__name__, (PermissionsInSwedish, current), {}))


_show_permissions_in_the_staff_language()
