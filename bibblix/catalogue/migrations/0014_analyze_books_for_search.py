"""Fresh planner statistics for the book table after the search columns were filled.

0010-0013 add and fill `search_vector` and `search_titles` on every book. Until PostgreSQL
analyses the table again, it knows nothing of the new column and guesses that a prefix query
(`search_vector @@ 'pip:*'`) matches 3-4 % of the books; search's "does anything match" check
(`EXISTS … LIMIT 1`) then reads the table in order hoping to stop early, and when nothing
matches reads all of it: 160-430 ms at 100,000 books, against 0.06 ms through the GIN index
once the statistics exist (docs/performance.md, "National scale"). Autovacuum would analyse the
table eventually; this does it at once. Nothing to do on SQLite.
"""

from django.db import migrations


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model("catalogue", "Book")._meta.db_table
        schema_editor.execute(f"ANALYZE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0013_merge_alternative_titles")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
