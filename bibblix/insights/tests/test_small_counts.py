import datetime

from bibblix.insights.models import DailyUsage


def test_municipality_staff_see_small_counts_suppressed(client, municipality_admin_ale, ale):
    DailyUsage.objects.create(day=datetime.date(2026, 3, 2), municipality=ale, loans_started=1)
    DailyUsage.objects.create(day=datetime.date(2026, 3, 3), municipality=ale, loans_started=12)
    client.force_login(municipality_admin_ale)
    listing = client.get("/staff/insights/dailyusage/").content.decode()
    assert "&lt; 5" in listing and ">12<" in listing
    assert ">1<" not in listing
    row = DailyUsage.objects.get(loans_started=1)
    assert ">1<" not in client.get(f"/staff/insights/dailyusage/{row.pk}/change/").content.decode()


def test_association_staff_see_exact_counts(client, coordinator, ale):
    DailyUsage.objects.create(day=datetime.date(2026, 3, 2), municipality=ale, loans_started=1)
    client.force_login(coordinator)
    assert ">1<" in client.get("/staff/insights/dailyusage/").content.decode()
