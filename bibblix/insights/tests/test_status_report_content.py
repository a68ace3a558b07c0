"""The report's register parts come from the register as of the quarter's last day."""

import time_machine

from bibblix.insights.quarters import YearQuarter, parse_quarter
from bibblix.insights.report import build_content
from bibblix.insights.report_sections import sections

from .report_builders import register

Q4 = YearQuarter(2026, 4)


def test_included_municipalities_are_those_connected_on_the_quarters_last_day(db):
    register()
    content = build_content(Q4)
    # Tjörn ended in Q3; Lerum has given notice but is connected until 2027-01-01.
    assert [m["name"] for m in content["municipalities"]] == ["Ale", "Borås", "Kungälv", "Lerum"]
    assert sections(content)["included_heading"] == "Dessa 4 kommuner ingår"


def test_an_earlier_quarter_lists_the_register_as_it_was_then(db):
    register()
    content = build_content(YearQuarter(2026, 3))
    assert [m["name"] for m in content["municipalities"]] == ["Ale", "Borås", "Lerum"]


def test_events_of_the_period_are_the_registers_steps_in_the_quarter(db):
    register()
    events = [(e["date"], e["organisation"], e["kind"]) for e in build_content(Q4)["events"]]
    assert events == [
        ("2026-10-15", "Lerum", "notice_given"),
        ("2026-11-01", "Kungälv", "connected"),
    ]
    q3 = [(e["organisation"], e["kind"]) for e in build_content(YearQuarter(2026, 3))["events"]]
    assert q3 == [("Kungälv", "agreement_signed"), ("Tjörn", "ended")]


def test_coordinators_are_the_active_coordinator_contacts(db):
    register()
    assert [c["name"] for c in build_content(Q4)["coordinators"]] == [
        "Alva Andersson",
        "Kim Koordinator",
    ]


def test_invoicing_arrangement_names_who_invoices_whom(db):
    register()
    arrangement = {row["invoicer"]: row["buyers"] for row in build_content(Q4)["arrangement"]}
    assert arrangement["GITS"] == ["Borås"]
    assert "Västra Götalandsregionen" in arrangement["Sambruk"]
    assert {"Ale", "Kungälv", "Lerum"} <= set(arrangement["Sambruk"])


def test_the_quarters_box_is_ticked_and_the_texts_are_kept(db):
    register()
    s = sections(
        build_content(Q4, {"background": "Bibblix är en tjänst.", "personnel": "2 personer"})
    )
    assert [ticked for _label, ticked in s["quarters"]] == [False, False, False, True]
    assert s["managed_object"] == "Bibblix/Sambruk"
    assert s["background"] == "Bibblix är en tjänst." and s["personnel"] == "2 personer"


def test_quarters_parse_strictly():
    assert parse_quarter("2026Q4") == Q4 and parse_quarter("2026-q1") == YearQuarter(2026, 1)
    assert (
        parse_quarter("2026Q5") is None
        and parse_quarter("Q4") is None
        and parse_quarter("") is None
    )
    assert (Q4.first_day.isoformat(), Q4.last_day.isoformat()) == ("2026-10-01", "2026-12-31")
    assert YearQuarter(2028, 1).last_day.isoformat() == "2028-03-31"


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_without_billing_the_economy_says_so_instead_of_inventing_figures(db):
    register()
    economy = sections(build_content(Q4))["economy"]
    # Runs until billing's ledger is merged; then the ledger tests in test_report_figures cover it.
    if economy["has_billing"]:
        assert "Fakturering saknas" not in economy["reconciliation"]
    else:
        assert economy["no_billing"] == "Fakturering saknas för perioden"
        assert economy["reconciliation"] == ""
        assert all(row[4] == "–" for row in economy["rows"])


@time_machine.travel("2026-10-20 10:00 +0200", tick=False)
def test_a_step_later_in_the_quarter_is_marked_planned(db):
    register()
    events = sections(build_content(Q4))["events"]
    assert events == [
        "2026-10-15 Lerum: uppsägning",
        "2026-11-01 Kungälv: ansluten (driftstart) (planerad)",
    ]
