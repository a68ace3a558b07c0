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


def group_label(group: Group) -> str:
    """A role group by its role's name in the staff member's language ("Bibblix: Bibliotekarie");
    the stored name ("Bibblix: librarian") stays, since the role sync finds groups by it."""
    from .models import StaffProfile
    from .roles import group_name

    for role in StaffProfile.Role:
        if group.name == group_name(role.value):
            return group_name(str(role.label))
    return group.name


class PermissionsInSwedish:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        if field is not None and db_field.related_model is Group:
            field.label_from_instance = group_label
        return field


@admin.display(description=gettext_lazy("name"), ordering="name")
def shown_group_name(group: Group) -> str:
    return group_label(group)


class _Labelled:
    """A group as the list's checkbox names it to a screen reader: by its Swedish label."""

    def __init__(self, group: Group):
        self.pk = group.pk
        self.label = group_label(group)

    def __str__(self) -> str:
        return self.label


class GroupsInSwedish:
    list_display = (shown_group_name,)

    def action_checkbox(self, obj):
        return super().action_checkbox(_Labelled(obj))


def _show_permissions_in_the_staff_language() -> None:
    User = get_user_model()
    for model in (User, Group):
        current = type(admin.site.get_model_admin(model))
        if issubclass(current, PermissionsInSwedish):
            continue
        bases = (
            (PermissionsInSwedish, GroupsInSwedish) if model is Group else (PermissionsInSwedish,)
        )
        admin.site.unregister(model)
        admin.site.register(model, type(current.__name__, (*bases, current), {}))


_show_permissions_in_the_staff_language()
