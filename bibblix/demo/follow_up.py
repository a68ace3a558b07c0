"""Demo follow-up: a budget per quarter for this year and last, monthly costs, and a draft of
this quarter's status report with its texts, so the budget page and the report show something
after `make run`. Amounts are illustrative, not the association's. Idempotent: a year that
already has budget lines is left alone, and the report draft is made once."""

import datetime

from django.utils import timezone

from bibblix.insights.models import BudgetLine, CostLine, StatusReport
from bibblix.insights.quarters import quarter_of

KR = 100
BUDGET = [  # (kind, account, label, amount per quarter in kr; None: only in Q1)
    ("revenue", "3041", "Medlems- och serviceavgifter", None),
    ("revenue", "3042", "Anslutningsavgifter", 10_000),
    ("cost", "5420", "Licenser för e-böcker", 120_000),
    ("cost", "6540", "Drift och hosting", 20_000),
    ("cost", "7010", "Samordnare", 60_000),
]
TEXTS = {
    "background": (
        "Bibblix är den fria e-bokstjänsten för barn 6–12 år som Sambruk förvaltar tillsammans "
        "med de anslutna kommunerna. Barnen lånar med sitt bibliotekskort; kommunerna betalar "
        "en årsavgift efter invånarantal."
    ),
    "events_note": "Ny version av läsaren med uppläsning lanserad.",
    "economy_note": "Licenskostnaderna följer budget.",
    "personnel": "En samordnare på heltid och en tekniker på halvtid.",
}


def load(out=print) -> None:
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        if BudgetLine.objects.filter(year=year).exists():
            continue
        _budget(year)
        _costs(year, today)
    quarter = quarter_of(today)
    StatusReport.objects.get_or_create(
        year=quarter.year, quarter=quarter.quarter, version=1, defaults=TEXTS
    )
    out(f"  insights: budget and costs {today.year - 1}–{today.year}, draft report {quarter}")


def _budget(year: int) -> None:
    lines = []
    for quarter in (1, 2, 3, 4):
        for kind, account, label, amount in BUDGET:
            if amount is None:
                amount = 720_000 if quarter == 1 else 0  # yearly fees are invoiced in Q1
            lines.append(
                BudgetLine(
                    year=year,
                    quarter=quarter,
                    kind=kind,
                    account=account,
                    label=label,
                    amount_ore=amount * KR,
                )
            )
    BudgetLine.objects.bulk_create(lines)


def _costs(year: int, today: datetime.date) -> None:
    lines = []
    for month in range(1, 13):
        day = datetime.date(year, month, 25)
        if day > today:
            break
        for _kind, account, label, amount in BUDGET[2:]:
            # A little over or under budget from month to month.
            actual = amount * KR // 3 * (100 + (month * 7 + len(label)) % 11 - 5) // 100
            lines.append(CostLine(date=day, label=label, account=account, amount_ore=actual))
    CostLine.objects.bulk_create(lines)
