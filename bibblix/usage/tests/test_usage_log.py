import datetime

from bibblix.usage import services as usage
from bibblix.usage.models import UsageEvent

AT = datetime.datetime(2026, 3, 31, 21, 45, tzinfo=datetime.UTC)  # 23:45 in Stockholm


def test_an_event_keeps_the_hour_the_swedish_day_and_no_patron_id():
    row = usage.event_row(usage.Kind.LOGIN, when=AT, municipality_id=7, library_id=9, reader_id=42)
    assert row["occurred_at"] == datetime.datetime(2026, 3, 31, 21, 0, tzinfo=datetime.UTC)
    assert row["day"] == datetime.date(2026, 3, 31)
    assert 42 not in row.values()


def test_the_reader_key_is_stable_within_a_month_and_changes_with_the_month():
    march = usage.reader_key(42, datetime.date(2026, 3, 1))
    assert usage.reader_key(42, datetime.date(2026, 3, 31)) == march
    assert usage.reader_key(43, datetime.date(2026, 3, 31)) != march
    # 22:30 UTC on 31 March is already April in Stockholm: April's key.
    april = usage.reader_key(42, datetime.datetime(2026, 3, 31, 22, 30, tzinfo=datetime.UTC))
    assert april == usage.reader_key(42, datetime.date(2026, 4, 1)) != march


def test_the_log_is_read_only_in_the_staff_area(client, coordinator, municipality_admin_ale, ale):
    usage.record(usage.Kind.LOGIN, when=AT, municipality_id=ale.pk)
    event = UsageEvent.objects.get(municipality_id=ale.pk, occurred_at__date=AT.date())
    client.force_login(coordinator)
    assert client.get("/staff/usage/usageevent/").status_code == 200
    assert client.get("/staff/usage/usageevent/add/").status_code == 403
    assert client.post(f"/staff/usage/usageevent/{event.pk}/delete/").status_code == 403
    assert client.get(f"/staff/usage/usageevent/{event.pk}/change/").status_code == 200
    client.force_login(municipality_admin_ale)  # figures, yes; the raw log, no
    assert client.get("/staff/usage/usageevent/").status_code == 403
    assert UsageEvent.objects.filter(pk=event.pk).exists()
