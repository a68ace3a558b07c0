"""The catalogue's own audit table becomes part of the one audit trail (bibblix.audit): every
row is copied over, with the user's name and municipality kept, then the old table goes."""

from django.db import migrations


def copy_to_audit_trail(apps, schema_editor):
    CatalogueChange = apps.get_model("catalogue", "CatalogueChange")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    StaffProfile = apps.get_model("members", "StaffProfile")
    municipality_of_user = dict(StaffProfile.objects.values_list("user_id", "municipality_id"))
    AuditEntry.objects.bulk_create(
        AuditEntry(
            at=change.at,
            user_id=change.user_id,
            username=change.user.username if change.user_id else "",
            action=change.action,
            app_label="catalogue",
            model=change.model,
            object_id=change.object_id,
            object_repr=change.object_repr,
            changes=change.changes,
            municipality_id=municipality_of_user.get(change.user_id),
        )
        for change in CatalogueChange.objects.select_related("user").order_by("at", "pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_book_browse_index"),
        ("audit", "0001_audit_entry"),
        ("members", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_audit_trail, migrations.RunPython.noop),
        migrations.DeleteModel(name="CatalogueChange"),
    ]
