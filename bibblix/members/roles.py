"""Which Django permissions each staff role has. Groups named after the roles are kept in step
with this table after every migrate, so a role change is one edit here."""

from .models import StaffProfile

Role = StaffProfile.Role

# (app_label, grants) pairs. A grant is one of Django's actions (view/add/change/delete), which
# gives that action on every model of the app, or the codename of a custom permission declared
# in a model's Meta.permissions (e.g. "approve_billingrun"), which gives exactly that one.
ALL = ("view", "add", "change", "delete")
ROLE_PERMISSIONS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    Role.ASSOCIATION_ADMIN: [
        ("members", ALL),
        # Hiding a book hides it in every municipality: the association's decision alone.
        ("catalogue", ALL + ("hide_book_from_children",)),
        ("motivation", ALL),  # national reading challenges (no admin shows a child's reading)
        # A guardian's request to see or erase a child's data is handled by the association.
        ("patrons", ("view", "change", "handle_data_request")),
        ("lending", ("view",)),
        ("billing", ("view",)),
        ("insights", ALL + ("approve_statusreport",)),
        ("usage", ("view",)),
        ("jobs", ("view",)),  # the job list: imports in progress, scheduled runs
        ("auth", ("view", "add", "change")),
    ],
    Role.ECONOMY: [
        ("members", ("view", "change")),
        ("billing", ALL + ("approve_billingrun",)),
        ("insights", ("view",)),
    ],
    Role.MUNICIPALITY_ADMIN: [
        ("members", ("view", "change")),
        ("catalogue", ("view", "change")),
        ("motivation", ALL),  # their own challenges and libraries' tips (scoped)
        ("patrons", ("view", "change")),
        ("lending", ("view",)),
        ("billing", ("view",)),  # their own invoices only (billing.admin scopes them)
        ("insights", ("view",)),
    ],
    Role.LIBRARIAN: [
        ("members", ("view",)),
        ("catalogue", ("view", "change")),
        ("motivation", ALL),  # their own challenges and libraries' tips (scoped)
        ("patrons", ("view",)),
        ("lending", ("view",)),
    ],
}


def sync_role_groups(**kwargs) -> None:
    """Create or update one auth Group per role with exactly the permissions in ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        permissions = []
        for app_label, actions in grants:
            for permission in Permission.objects.filter(content_type__app_label=app_label):
                if is_granted(permission.codename, actions):
                    permissions.append(permission)
        group.permissions.set(permissions)


def is_granted(codename: str, grants: tuple[str, ...]) -> bool:
    """Whether a permission `codename` is given by `grants` (an action or a custom codename)."""
    if codename in grants:
        return True
    action, _sep, model = codename.partition("_")
    return action in ALL and action in grants and bool(model)


def group_name(role: str) -> str:
    return f"Bibblix: {role}"
