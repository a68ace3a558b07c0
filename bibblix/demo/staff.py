"""Demo staff users, one per role."""

from django.contrib.auth import get_user_model

from bibblix.members.models import Organisation, StaffProfile

Role = StaffProfile.Role
DEMO_PASSWORD = "bibblix-demo"  # noqa: S105 (printed demo login, embedded mode only)
USERS = [  # (username, role, municipality name)
    ("forening", Role.ASSOCIATION_ADMIN, None),
    ("ekonomi", Role.ECONOMY, None),
    ("ale-admin", Role.MUNICIPALITY_ADMIN, "Ale"),
    ("ale-bibliotekarie", Role.LIBRARIAN, "Ale"),
    ("boras-bibliotekarie", Role.LIBRARIAN, "Borås"),
]


def load(out=print) -> list[str]:
    User = get_user_model()
    lines = []
    for username, role, municipality_name in USERS:
        municipality = (
            Organisation.objects.filter(name=municipality_name).first()
            if municipality_name
            else None
        )
        if municipality_name and municipality is None:
            continue
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        StaffProfile.objects.update_or_create(
            user=user, defaults={"role": role, "municipality": municipality}
        )
        lines.append(
            f"{username:<22} {Role(role).label}{' – ' + municipality_name if municipality_name else ''}"
        )
    out(f"  staff: {len(lines)} demo users")
    return lines
