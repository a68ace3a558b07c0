"""The fee rules: what the member register and the year's fee schedule imply that each issuer
charges each buyer for a period. Only reads; `runs.py` turns charges into invoices.

Who invoices whom is dated: every membership is cut where the membership (or, for a municipality
in a group, the group's membership) changes, and the invoicer is asked for each piece's first day
(`members.services.invoicer_on`). Yearly amounts are pro rata by day (a year has 365 or 366 days);
one-off amounts fall in the period where the membership or the first connection starts.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from bibblix.lib.money import format_sek, percent_of, pro_rata, vat_amount
from bibblix.members import services as members
from bibblix.members.models import Membership

from .models import FeeSchedule, FeeType, FeeVat, VatCategory

Route = Membership.Route
DAY = datetime.timedelta(days=1)


class FeeScheduleMissing(Exception):
    """No fee schedule exists for the year asked for."""


@dataclass(frozen=True)
class Period:
    """A year (quarter 0) or a quarter; `end` is the first day after it."""

    year: int
    quarter: int
    start: datetime.date
    end: datetime.date

    @classmethod
    def of(cls, year: int, quarter: int = 0) -> "Period":
        if quarter == 0:
            return cls(year, 0, datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))
        first_month = 3 * (quarter - 1) + 1
        end = (
            datetime.date(year + 1, 1, 1)
            if quarter == 4
            else datetime.date(year, first_month + 3, 1)
        )
        return cls(year, quarter, datetime.date(year, first_month, 1), end)

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def last_day(self) -> datetime.date:
        return self.end - DAY


@dataclass(frozen=True)
class Charge:
    """One amount an issuer charges a buyer; `key` names the fee for the buyer so that a later
    run compares like with like."""

    issuer_id: int
    buyer_id: int
    key: str
    fee_type: str
    description: str
    provenance: str
    net_ore: int
    vat_category: str
    vat_rate_bp: int
    exemption_reason: str = ""
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None  # inclusive


def schedule_for(year: int) -> FeeSchedule:
    """The fee schedule of `year`, or FeeScheduleMissing."""
    schedule = FeeSchedule.objects.prefetch_related("tiers", "vat_rules").filter(year=year).first()
    if schedule is None:
        raise FeeScheduleMissing(_("There is no fee schedule for %(year)s.") % {"year": year})
    return schedule


def charges(period: Period, *, issuer_id: int | None = None) -> list[Charge]:
    """Every charge the register and the schedule imply for `period` (of one issuer's
    organisation id when given), merged per (issuer, buyer, key)."""
    rules = _Rules(schedule_for(period.year), period)
    for membership in rules.load():
        rules.add_membership(membership)
    merged: dict[tuple, Charge] = {}
    for charge in rules.out:
        if charge.net_ore == 0 or (issuer_id and charge.issuer_id != issuer_id):
            continue
        key = (charge.issuer_id, charge.buyer_id, charge.key, charge.vat_category)
        if key in merged:
            earlier = merged[key]
            charge = replace(
                earlier,
                net_ore=earlier.net_ore + charge.net_ore,
                provenance=f"{earlier.provenance}\n{charge.provenance}",
                period_start=min(_dates(earlier.period_start, charge.period_start), default=None),
                period_end=max(_dates(earlier.period_end, charge.period_end), default=None),
            )
        merged[key] = charge
    return sorted(merged.values(), key=lambda c: (c.issuer_id, c.buyer_id, c.key))


def expected_totals(year: int) -> dict[tuple[int, int], int]:
    """(issuer organisation id, buyer id) -> total öre including VAT for the whole `year`,
    with VAT on each category total."""
    per_category: dict[tuple, int] = defaultdict(int)
    for charge in charges(Period.of(year)):
        per_category[(charge.issuer_id, charge.buyer_id, charge.vat_rate_bp)] += charge.net_ore
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for (issuer_id, buyer_id, rate), net in per_category.items():
        totals[(issuer_id, buyer_id)] += net + vat_amount(net, rate)
    return dict(totals)


def _dates(*days):
    return [day for day in days if day is not None]


def _overlap(periods, start, end) -> list[tuple[datetime.date, datetime.date]]:
    """The parts of half-open `periods` that fall in [start, end)."""
    parts = []
    for first, until in periods:
        a, b = max(first, start), min(until or end, end)
        if a < b:
            parts.append((a, b))
    return parts


def _days(parts) -> int:
    return sum((b - a).days for a, b in parts)


class _Rules:
    """Applies one schedule to the memberships of one period; collects charges in `out`."""

    def __init__(self, schedule: FeeSchedule, period: Period):
        self.schedule, self.period, self.out = schedule, period, []
        self.vat = {rule.fee_type: rule for rule in schedule.vat_rules.all()}
        self.connections: dict[int, list] = {}
        self.history: dict[int, list] = defaultdict(list)
        self.invoicers: dict[int, object] = {}

    def load(self) -> list:
        """Read the register in a few queries: every membership (the history decides joins and
        re-joins), the connection periods of the members, and return the period's memberships."""
        overlapping = []
        everything = members.memberships_overlapping(datetime.date.min, datetime.date.max)
        for membership in everything:
            self.history[membership.organisation_id].append(membership)
            start, end = membership.start_date, membership.end_date
            if (start is None or start < self.period.end) and (
                end is None or end > self.period.start
            ):
                overlapping.append(membership)
        self.connections = members.connection_periods_for({m.organisation_id for m in overlapping})
        return overlapping

    # --- reading the register -----------------------------------------------------------

    def periods_of(self, organisation) -> list:
        return self.connections.get(organisation.pk, [])

    def memberships_of(self, organisation) -> list:
        return self.history[organisation.pk]

    def invoicer_on(self, organisation, day: datetime.date):
        """Who invoices `organisation` on `day`: the whole arrangement on the period's first day
        in one read (members.services.invoicing_arrangement_on), other days one by one."""
        if day != self.period.start:
            return members.invoicer_on(organisation, day)
        if not self.invoicers:
            self.invoicers = {
                buyer.pk: invoicer for invoicer, buyer, _m in members.invoicing_arrangement_on(day)
            }
        return self.invoicers.get(organisation.pk)

    def pieces(self, membership) -> list[tuple[datetime.date, datetime.date]]:
        """`membership` within the period, cut where its group's membership changes."""
        start = max(membership.start_date or self.period.start, self.period.start)
        end = min(membership.end_date or self.period.end, self.period.end)
        cuts = {start, end}
        if membership.group_id:
            for held in self.memberships_of(membership.group):
                cuts |= {d for d in (held.start_date, held.end_date) if d and start < d < end}
        days = sorted(cuts)
        return list(zip(days, days[1:], strict=False))

    def joins_in(self, membership, start, end) -> tuple[bool, bool]:
        """(whether `membership` starts a membership in [start, end), whether it re-joins)."""
        day = membership.start_date
        if day is None or not start <= day < end:
            return False, False
        earlier = [m for m in self.memberships_of(membership.organisation) if m.pk != membership.pk]
        if any(m.end_date == day for m in earlier):
            return False, False  # a change of route, not a new membership
        return True, any(m.end_date and m.end_date < day for m in earlier)

    def first_connection_in(self, organisation, start, end) -> datetime.date | None:
        periods = self.periods_of(organisation)
        if periods and start <= periods[0][0] < end:
            return periods[0][0]
        return None

    # --- the rules ------------------------------------------------------------------------

    def add_membership(self, membership) -> None:
        buyer = membership.organisation
        for start, end in self.pieces(membership):
            invoicer = self.invoicer_on(buyer, start)
            if invoicer is None:
                continue
            if membership.route == Route.DIRECT:
                self.direct(invoicer, buyer, membership, start, end)
            elif membership.route == Route.GROUP:
                self.group_fee(invoicer, buyer, start, end)
            elif membership.route == Route.THROUGH_GROUP:
                self.through_group(invoicer, buyer, membership, start, end)

    def direct(self, invoicer, buyer, membership, start, end) -> None:
        tier = self.tier(buyer)
        if tier is None:
            return
        yearly = tier.direct_fee_ore
        self.prorated(
            invoicer, buyer, "membership_yearly", FeeType.MEMBERSHIP_YEARLY,
            _("Membership fee %(year)s") % {"year": self.period.year},
            yearly, [(start, end)], self.tier_text(buyer, tier),
        )  # fmt: skip
        joins, rejoins = self.joins_in(membership, start, end)
        if joins:
            amount, text = self.one_off(buyer, tier, rejoins)
            self.add(
                invoicer, buyer, "membership_one_off", FeeType.MEMBERSHIP_ONE_OFF,
                _("One-off membership fee"), text, amount, membership.start_date,
            )  # fmt: skip
        connected = _overlap(self.periods_of(buyer), start, end)
        if first := self.first_connection_in(buyer, start, end):
            self.add(
                invoicer, buyer, "connection", FeeType.CONNECTION, _("Connection fee"),
                self.schedule_text(_("connection fee")), self.schedule.connection_fee_ore, first,
            )  # fmt: skip
        annual, text = self.service_fee(buyer, tier)
        self.prorated(
            invoicer, buyer, "service", FeeType.SERVICE,
            _("Annual service fee %(year)s") % {"year": self.period.year},
            annual, connected, text,
        )  # fmt: skip

    def group_fee(self, invoicer, region, start, end) -> None:
        self.prorated(
            invoicer, region, "group_fee", FeeType.GROUP_FEE,
            _("Group fee %(year)s") % {"year": self.period.year},
            self.schedule.group_fee_ore, [(start, end)], self.schedule_text(_("group fee")),
        )  # fmt: skip

    def through_group(self, body, municipality, membership, start, end) -> None:
        """The invoicing body re-invoices the municipality; the region pays its share."""
        region = membership.group
        region_invoicer = self.invoicer_on(region, start)
        tier = self.tier(municipality)
        if tier is None:
            return
        share_bp = self.schedule.group_one_off_share_basis_points
        code = municipality.municipality_code or str(municipality.pk)
        name = municipality.name
        connected = _overlap(self.periods_of(municipality), start, end)
        subsidy = 0
        first_periods = self.periods_of(municipality)
        if first_periods and first_periods[0][0].year == self.period.year:
            per_year = (
                municipality.population or 0
            ) * self.schedule.group_subsidy_per_inhabitant_ore
            subsidy = pro_rata(per_year, _days(connected), self.period.days_in_year)
            text = _(
                "%(per)s öre × %(population)s inhabitants in the year of connection, "
                "%(days)s/%(year_days)s days"
            ) % {
                "per": self.schedule.group_subsidy_per_inhabitant_ore,
                "population": self.population_text(municipality),
                "days": _days(connected),
                "year_days": self.period.days_in_year,
            }
            if region_invoicer:
                self.add(
                    region_invoicer, region, f"group_subsidy:{code}", FeeType.GROUP_SUBSIDY,
                    _("Contribution in the year of connection, %(name)s") % {"name": name},
                    text, subsidy, start, end - DAY,
                )  # fmt: skip
        yearly = pro_rata(tier.group_fee_ore, (end - start).days, self.period.days_in_year)
        text = self.tier_text(municipality, tier) + self.days_text(
            tier.group_fee_ore, [(start, end)]
        )
        if subsidy:
            text += "\n" + _("less the region's contribution in the year of connection %(s)s") % {
                "s": format_sek(subsidy)
            }
        self.add(
            body, municipality, "reinvoiced_yearly", FeeType.REINVOICED,
            _("Annual fee %(year)s through %(group)s") % {"year": self.period.year, "group": region},
            text, max(0, yearly - subsidy), start, end - DAY,
        )  # fmt: skip
        joins, rejoins = self.joins_in(membership, start, end)
        one_offs = []
        if joins:
            amount, text = self.one_off(municipality, tier, rejoins)
            one_offs.append(
                ("one_off", _("one-off membership fee"), amount, text, membership.start_date)
            )
        if first := self.first_connection_in(municipality, start, end):
            fee = self.schedule.connection_fee_ore
            one_offs.append(
                (
                    "connection",
                    _("connection fee"),
                    fee,
                    self.schedule_text(_("connection fee")),
                    first,
                )
            )
        for suffix, label, amount, text, day in one_offs:
            region_part = percent_of(amount, share_bp)
            share = _("%(share)s %% of %(amount)s") % {
                "share": share_bp / 100,
                "amount": format_sek(amount),
            }
            if region_invoicer:
                self.add(
                    region_invoicer, region, f"group_{suffix}_share:{code}", FeeType.GROUP_ONE_OFF_SHARE,
                    _("Share of %(fee)s, %(name)s") % {"fee": label, "name": name},
                    f"{text}; {share}", region_part, day,
                )  # fmt: skip
            self.add(
                body, municipality, f"reinvoiced_{suffix}", FeeType.REINVOICED,
                label.capitalize(),
                f"{text}; " + _("less the region's share %(share)s") % {"share": share},
                amount - region_part, day,
            )  # fmt: skip

    # --- amounts and texts ----------------------------------------------------------------

    def tier(self, organisation):
        return self.schedule.tier_for(organisation.population or 0)

    def one_off(self, buyer, tier, rejoins: bool) -> tuple[int, str]:
        text = self.tier_text(buyer, tier)
        if not rejoins:
            return tier.one_off_fee_ore, text
        share = self.schedule.rejoin_one_off_basis_points
        text += "; " + _("re-joining: %(share)s %% of %(fee)s") % {
            "share": share / 100,
            "fee": format_sek(tier.one_off_fee_ore),
        }
        return percent_of(tier.one_off_fee_ore, share), text

    def service_fee(self, buyer, tier) -> tuple[int, str]:
        schedule = self.schedule
        if schedule.service_basis == FeeSchedule.ServiceBasis.TIER:
            return tier.service_fee_ore, self.tier_text(buyer, tier)
        raw = (buyer.population or 0) * schedule.service_per_inhabitant_ore
        annual = max(raw, schedule.service_floor_ore)
        if schedule.service_ceiling_ore is not None:
            annual = min(annual, schedule.service_ceiling_ore)
        text = _(
            "%(per)s öre × %(population)s inhabitants, floor %(floor)s, ceiling %(ceiling)s"
        ) % {
            "per": schedule.service_per_inhabitant_ore,
            "population": self.population_text(buyer),
            "floor": format_sek(schedule.service_floor_ore),
            "ceiling": format_sek(schedule.service_ceiling_ore)
            if schedule.service_ceiling_ore is not None
            else "–",
        }
        return annual, f"{text} ({self.schedule_text('')})"

    def population_text(self, organisation) -> str:
        population = organisation.population
        if population is None:
            return _("unknown (0)")
        source = ", ".join(
            str(part)
            for part in (organisation.population_source, organisation.population_year)
            if part
        )
        return f"{population:,}".replace(",", "\u00a0") + (f" ({source})" if source else "")

    def tier_text(self, organisation, tier) -> str:
        return _("population %(population)s: tier up to %(max)s, fee schedule %(year)s") % {
            "population": self.population_text(organisation),
            "max": f"{tier.max_population:,}".replace(",", "\u00a0"),
            "year": self.schedule.year,
        }

    def schedule_text(self, what: str) -> str:
        text = _("fee schedule %(year)s") % {"year": self.schedule.year}
        return f"{what}, {text}" if what else text

    def days_text(self, yearly: int, parts) -> str:
        return "; " + _("%(fee)s a year × %(days)s/%(year_days)s days") % {
            "fee": format_sek(yearly),
            "days": _days(parts),
            "year_days": self.period.days_in_year,
        }

    def prorated(self, invoicer, buyer, key, fee_type, description, yearly, parts, text) -> None:
        if not parts:
            return
        amount = pro_rata(yearly, _days(parts), self.period.days_in_year)
        self.add(
            invoicer, buyer, key, fee_type, description, text + self.days_text(yearly, parts),
            amount, parts[0][0], parts[-1][1] - DAY,
        )  # fmt: skip

    def add(self, invoicer, buyer, key, fee_type, description, text, amount, start, last=None):
        rule: FeeVat | None = self.vat.get(fee_type)
        category = rule.category if rule else VatCategory.STANDARD
        rate = self.schedule.vat_rate_basis_points if category == VatCategory.STANDARD else 0
        self.out.append(
            Charge(
                issuer_id=invoicer.pk,
                buyer_id=buyer.pk,
                key=key,
                fee_type=fee_type,
                description=str(description),
                provenance=text,
                net_ore=amount,
                vat_category=category,
                vat_rate_bp=rate,
                exemption_reason=rule.exemption_reason if rule else "",
                period_start=start,
                period_end=last or start,
            )
        )
