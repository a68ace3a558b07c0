"""Search structures: pg_trgm and GIN indexes on PostgreSQL, an FTS5 trigram table on SQLite.

Each step checks the database vendor, so the migration is a no-op where it does not apply.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def create_index(apps, schema_editor):
    from bibblix.catalogue.search_index import create_search_index

    create_search_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from bibblix.catalogue.search_index import drop_search_index

    drop_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_shelves_audit_and_book_metadata")]

    operations = [
        TrigramExtension(),  # no-op on SQLite: CreateExtension checks the vendor itself
        migrations.RunPython(create_index, drop_index),
    ]
