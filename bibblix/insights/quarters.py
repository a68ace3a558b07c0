"""Quarters as the association reports them: Q1 (jan–mars) … Q4 (okt–dec)."""

import datetime
import re
from dataclasses import dataclass

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


@dataclass(frozen=True, order=True)
class YearQuarter:
    year: int
    quarter: int

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def last_day(self) -> datetime.date:
        if self.quarter == 4:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 3 * self.quarter + 1, 1) - datetime.timedelta(days=1)

    def contains(self, day: datetime.date) -> bool:
        return self.first_day <= day <= self.last_day


def parse_quarter(text: str) -> YearQuarter | None:
    """ "2026Q4" (or "2026-Q4", "2026q4") as a YearQuarter; None when it is not one."""
    match = _QUARTER.match(text or "")
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        return None
    return YearQuarter(int(match.group(1)), int(match.group(2)))


def quarter_of(day: datetime.date) -> YearQuarter:
    """The quarter `day` falls in."""
    return YearQuarter(day.year, (day.month - 1) // 3 + 1)


def quarters_of(year: int) -> list[YearQuarter]:
    return [YearQuarter(year, quarter) for quarter in (1, 2, 3, 4)]
