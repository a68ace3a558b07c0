import datetime

from django.utils import timezone

from bibblix.insights import demo
from bibblix.insights.models import NATIONAL, DailyCount, FillState
from bibblix.usage.models import UsageEvent


def test_demo_generates_anonymous_usage_once_and_rolls_it_up(ale, boras, make_book):
    for municipality in (ale, boras):
        municipality.population = 200_000
        municipality.save()
    for i in range(5):
        make_book(f"Demobok {i}", page_count=60)
    added = demo.load(out=lambda line: None, days=40)
    assert added > 100
    assert demo.load(out=lambda line: None, days=40) == 0  # a second load adds nothing
    assert UsageEvent.objects.count() == added
    assert (
        not UsageEvent.objects.filter(reader_key__isnull=False, book_id__isnull=True)
        .exclude(kind=UsageEvent.Kind.LOGIN)
        .exists()
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert FillState.objects.get(metric="loans").filled_through == yesterday
    loans = DailyCount.objects.filter(metric="loans", dimension="", municipality_id=NATIONAL)
    assert (
        sum(loans.values_list("value", flat=True))
        == UsageEvent.objects.filter(kind=UsageEvent.Kind.BORROWED).count()
    )
