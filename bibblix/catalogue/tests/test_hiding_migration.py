"""Migration catalogue/0008 keeps the books internal shelves hid hidden, by their own flag."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("catalogue", "0007_featured_books_first_in_lists")]
AFTER = [("catalogue", "0008_book_hidden_from_children")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    moved = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    return executor.loader.project_state([*others, *targets]).apps


def test_books_on_internal_shelves_become_hidden_and_others_stay_visible():
    apps = _migrate(BEFORE)
    Book = apps.get_model("catalogue", "Book")
    Shelf = apps.get_model("catalogue", "Shelf")
    ShelfEntry = apps.get_model("catalogue", "ShelfEntry")
    test_book, tip = Book.objects.create(title="Testbok"), Book.objects.create(title="Tips")
    internal = Shelf.objects.create(slug="test", name="Test", is_for_children=False)
    Shelf.objects.create(slug="tom", name="Tom", is_for_children=False)
    tips = Shelf.objects.create(slug="tips", name="Tips")
    ShelfEntry.objects.create(shelf=internal, book=test_book)
    ShelfEntry.objects.create(shelf=tips, book=tip)
    try:
        Book = _migrate(AFTER).get_model("catalogue", "Book")
        hidden = dict(Book.objects.values_list("title", "is_hidden_from_children"))
        assert hidden == {"Testbok": True, "Tips": False}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
