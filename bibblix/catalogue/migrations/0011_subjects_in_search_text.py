"""Subjects' headings join the search text: every stored book is indexed again (the same
rebuild `python manage.py reindex_search` runs)."""

from collections import defaultdict

from django.db import migrations


def reindex(apps, schema_editor):
    from bibblix.catalogue.models import search_text_for

    Book = apps.get_model("catalogue", "Book")
    BookContributor = apps.get_model("catalogue", "BookContributor")
    people = defaultdict(list)
    for book_id, name in BookContributor.objects.order_by("book_id", "position", "pk").values_list(
        "book_id", "contributor__name"
    ):
        people[book_id].append(name)
    changed = []
    fields = ["pk", "title", "subtitle", "series", "subjects", "search_text"]
    for book in Book.objects.only(*fields).iterator(chunk_size=2000):
        text = search_text_for(book, people[book.pk])
        if text != book.search_text:
            book.search_text = text
            changed.append(book)
    Book.objects.bulk_update(changed, ["search_text"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0010_search_titles_and_stored_vector")]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
