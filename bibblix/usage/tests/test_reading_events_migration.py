"""Migration lending/0005 copies the old ReadingEvent rows into the usage log."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("lending", "0004_max_holds"), ("usage", "0001_usage_event_log")]
AFTER = [("lending", "0005_move_reading_events_to_usage_log")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # The models as these targets leave them, every other app at its newest.
    moved = {app for app, _name in targets}
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] not in moved]
    return executor.loader.project_state([*others, *targets]).apps


def test_old_reading_events_are_copied_with_the_books_language_and_age_band():
    apps = _migrate(BEFORE)
    Organisation = apps.get_model("members", "Organisation")
    Book = apps.get_model("catalogue", "Book")
    ReadingEvent = apps.get_model("lending", "ReadingEvent")
    ale = Organisation.objects.create(name="Ale", municipality_code="1440")
    book = Book.objects.create(title="Drakboken", language="en", age_min=9)
    day = datetime.date(2025, 5, 4)
    ReadingEvent.objects.create(book=book, municipality=ale, kind="borrowed", day=day)
    ReadingEvent.objects.create(book=book, municipality=ale, kind="finished", day=day)
    try:
        apps = _migrate(AFTER)
        UsageEvent = apps.get_model("usage", "UsageEvent")
        rows = list(
            UsageEvent.objects.order_by("kind").values_list(
                "kind", "day", "municipality_id", "book_id", "language", "age_band", "reader_key"
            )
        )
        assert rows == [
            ("borrowed", day, ale.pk, book.pk, "en", "9-12", None),
            ("finished", day, ale.pk, book.pk, "en", "9-12", None),
        ]
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
