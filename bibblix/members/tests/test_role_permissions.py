"""Roles declare their permissions, custom ones (e.g. approving a billing run) included."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from bibblix.members import roles
from bibblix.members.models import Organisation


def test_actions_give_every_model_of_the_app_and_custom_codenames_only_themselves():
    assert roles.is_granted("view_organisation", ("view",))
    assert not roles.is_granted("change_organisation", ("view",))
    assert not roles.is_granted("approve_billingrun", roles.ALL)
    assert roles.is_granted("approve_billingrun", (*roles.ALL, "approve_billingrun"))
    assert not roles.is_granted("approve_statusreport", (*roles.ALL, "approve_billingrun"))


@pytest.mark.django_db
def test_role_sync_gives_a_declared_custom_permission_to_that_role_only(monkeypatch):
    content_type = ContentType.objects.get_for_model(Organisation)
    custom = Permission.objects.create(
        codename="approve_connection", name="Can approve a connection", content_type=content_type
    )
    table = {role: list(grants) for role, grants in roles.ROLE_PERMISSIONS.items()}
    table[roles.Role.ECONOMY] = [("members", ("view", "approve_connection"))]
    monkeypatch.setattr(roles, "ROLE_PERMISSIONS", table)
    roles.sync_role_groups()
    economy = Group.objects.get(name=roles.group_name(roles.Role.ECONOMY))
    librarian = Group.objects.get(name=roles.group_name(roles.Role.LIBRARIAN))
    assert custom in economy.permissions.all()
    assert economy.permissions.filter(codename="view_organisation").exists()
    assert not economy.permissions.filter(codename="change_organisation").exists()
    assert custom not in librarian.permissions.all()
