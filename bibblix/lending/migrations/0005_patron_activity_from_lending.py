"""Retention now reads `patrons.Patron.last_active_at`, which lending bumps on every loan, hold,
position and bookmark. Before, retention read those rows itself and the stamp only knew logins:
carry the latest lending activity of every child over once, so nobody who read since their last
login is retired early."""

from django.db import migrations
from django.db.models import Exists, Max, OuterRef, Subquery

# (model, field): the activity the old retention rule counted.
ACTIVITY = [
    ("Loan", "borrowed_at"),
    ("Loan", "returned_at"),
    ("Hold", "placed_at"),
    ("ReadingProgress", "updated_at"),
    ("Bookmark", "created_at"),
]


def carry_activity_over(apps, schema_editor):
    Patron = apps.get_model("patrons", "Patron")
    for model_name, field in ACTIVITY:
        rows = apps.get_model("lending", model_name).objects.filter(patron=OuterRef("pk"))
        later = rows.filter(**{f"{field}__gt": OuterRef("last_active_at")})
        latest = rows.order_by().values("patron").annotate(at=Max(field)).values("at")
        Patron.objects.filter(Exists(later)).update(last_active_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0004_max_holds"),
        ("patrons", "0002_login_provider_per_library"),
    ]

    operations = [migrations.RunPython(carry_activity_over, migrations.RunPython.noop)]
