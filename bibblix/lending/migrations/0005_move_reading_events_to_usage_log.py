"""Reading events move to the anonymous usage log (bibblix.usage), which has no foreign keys:
deleting a book or an organisation no longer deletes statistics. Existing rows are copied
(kind, book, municipality, day; the hour becomes midnight, the book's language and age band
are filled in), then the old table goes."""

import datetime
import zoneinfo

from django.conf import settings
from django.db import migrations

BATCH = 5000


def copy_reading_events(apps, schema_editor):
    ReadingEvent = apps.get_model("lending", "ReadingEvent")
    UsageEvent = apps.get_model("usage", "UsageEvent")
    Book = apps.get_model("catalogue", "Book")
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    books = {b.pk: b for b in Book.objects.only("id", "language", "age_min")}
    batch = []
    for event in ReadingEvent.objects.order_by("pk").iterator(chunk_size=BATCH):
        book = books.get(event.book_id)
        midnight = datetime.datetime.combine(event.day, datetime.time.min, tzinfo=zone)
        batch.append(
            UsageEvent(
                kind=event.kind,
                occurred_at=midnight.astimezone(datetime.UTC),
                day=event.day,
                municipality_id=event.municipality_id,
                book_id=event.book_id,
                language=book.language if book else "",
                age_band=("6-8" if book.age_min <= 8 else "9-12") if book else "",
            )
        )
        if len(batch) >= BATCH:
            UsageEvent.objects.bulk_create(batch)
            batch = []
    UsageEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0004_max_holds"),
        ("usage", "0001_usage_event_log"),
        ("catalogue", "0005_book_browse_index"),
    ]

    operations = [
        migrations.RunPython(copy_reading_events, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="ReadingEvent"),
    ]
