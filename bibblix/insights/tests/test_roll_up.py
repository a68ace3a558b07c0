import datetime

from django.core.management import call_command
from django.utils import timezone

from bibblix.catalogue.models import Book
from bibblix.insights.models import DailyUsage
from bibblix.lending.models import Loan


def test_roll_up_counts_loans_per_municipality_and_reruns_cleanly(patron_ale, ale):
    book = Book.objects.create(title="Boken")
    day = datetime.date(2026, 3, 2)
    at = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    Loan.objects.create(
        patron=patron_ale, book=book, borrowed_at=at, due_at=at + datetime.timedelta(days=28)
    )
    call_command("roll_up_statistics", "2026-03-02")
    call_command("roll_up_statistics", "2026-03-02")
    assert list(DailyUsage.objects.values_list("day", "municipality", "loans_started")) == [
        (day, ale.pk, 1)
    ]
