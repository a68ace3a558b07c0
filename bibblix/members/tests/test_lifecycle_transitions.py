"""Every legal step of the connection lifecycle, with who, when and why."""

import datetime

import time_machine

from bibblix.members import services
from bibblix.members.models import ConnectionEvent

State = ConnectionEvent.State
D = datetime.date


def test_full_path_from_enquiry_to_connected_records_who_and_why(fresh_municipality, coordinator):
    services.register_enquiry(
        fresh_municipality, D(2025, 9, 1), "Mejl från biblioteket", coordinator
    )
    services.register_application(fresh_municipality, D(2025, 10, 15), "Ansökan", coordinator)
    services.sign_agreement(fresh_municipality, D(2025, 12, 1), "Avtal undertecknat", coordinator)
    services.connect(fresh_municipality, D(2026, 2, 1), "Go-live", coordinator)
    events = list(fresh_municipality.connection_events.all())
    assert [e.state for e in events] == [
        State.ENQUIRY,
        State.APPLICATION,
        State.AGREEMENT_SIGNED,
        State.CONNECTED,
    ]
    assert all(e.recorded_by == coordinator and e.recorded_at for e in events)
    assert events[0].reason == "Mejl från biblioteket"
    assert services.state_on(fresh_municipality, D(2026, 1, 31)) == State.AGREEMENT_SIGNED
    assert services.is_connected(fresh_municipality, D(2026, 2, 1))


def test_application_may_come_without_an_enquiry(fresh_municipality):
    services.register_application(fresh_municipality, D(2025, 10, 15))
    assert services.state_on(fresh_municipality, D(2025, 10, 15)) == State.APPLICATION


def test_termination_records_notice_and_end_date(ale, coordinator):
    notice = services.register_termination(
        ale, D(2026, 1, 10), end_date=D(2026, 7, 1), reason="Budget", user=coordinator
    )
    assert notice.state == State.NOTICE_GIVEN and notice.recorded_by == coordinator
    assert services.state_on(ale, D(2026, 6, 30)) == State.NOTICE_GIVEN
    assert services.is_connected(ale, D(2026, 6, 30))
    assert services.state_on(ale, D(2026, 7, 1)) == State.ENDED
    assert not services.is_connected(ale, D(2026, 7, 1))


def test_termination_with_notice_period_computes_the_end_date(ale):
    services.register_termination(ale, D(2026, 8, 31), notice_months=6)
    end = ale.connection_events.get(state=State.ENDED)
    assert end.effective_date == D(2027, 2, 28)
    assert ale.connection_events.get(state=State.NOTICE_GIVEN).notice_period_months == 6


def test_end_connection_without_notice(ale, coordinator):
    services.end_connection(ale, D(2026, 3, 1), "Avtalsbrott", coordinator)
    assert not services.is_connected(ale, D(2026, 3, 1))
    assert services.is_connected(ale, D(2026, 2, 28))


@time_machine.travel("2026-03-01 10:00 +01:00", tick=False)
def test_end_connection_after_notice_moves_the_planned_end_date(ale, coordinator):
    services.register_termination(ale, D(2026, 2, 1), end_date=D(2026, 9, 1))
    services.end_connection(ale, D(2026, 5, 1), "Överenskommet", coordinator)
    first_end = ale.connection_events.get(state=State.ENDED, effective_date=D(2026, 9, 1))
    assert first_end.cancelled_at is not None and first_end.cancelled_by == coordinator
    assert not services.is_connected(ale, D(2026, 5, 1))
    assert services.state_on(ale, D(2026, 10, 1)) == State.ENDED


def test_reconnect_an_ended_member(ale, coordinator):
    services.end_connection(ale, D(2025, 1, 1))
    services.reconnect(ale, D(2026, 4, 1), "Tillbaka", coordinator)
    assert not services.is_connected(ale, D(2026, 3, 31))
    assert services.is_connected(ale, D(2026, 4, 1))


def test_an_ended_member_may_start_over_with_an_enquiry(ale):
    services.end_connection(ale, D(2025, 1, 1))
    services.register_enquiry(ale, D(2025, 6, 1))
    services.register_application(ale, D(2025, 7, 1))
    assert services.state_on(ale, D(2025, 7, 1)) == State.APPLICATION


@time_machine.travel("2026-03-01 10:00 +01:00", tick=False)
def test_withdrawn_notice_cancels_the_planned_end(ale, coordinator):
    services.register_termination(ale, D(2026, 2, 1), end_date=D(2026, 9, 1))
    services.withdraw_termination(ale, "Ångrade sig", coordinator)
    assert services.is_connected(ale, D(2026, 12, 1))
    assert ale.connection_events.get(state=State.ENDED).cancelled_at is not None
    assert services.state_on(ale, D(2026, 3, 1)) == State.CONNECTED


@time_machine.travel("2026-03-01 10:00 +01:00", tick=False)
def test_cancel_a_planned_go_live(fresh_municipality):
    services.register_application(fresh_municipality, D(2026, 1, 1))
    services.sign_agreement(fresh_municipality, D(2026, 2, 1))
    services.connect(fresh_municipality, D(2026, 4, 1))
    services.cancel_planned_step(fresh_municipality, "Flyttat")
    services.connect(fresh_municipality, D(2026, 5, 1))
    assert not services.is_connected(fresh_municipality, D(2026, 4, 15))
    assert services.is_connected(fresh_municipality, D(2026, 5, 1))


@time_machine.travel("2026-03-01 10:00 +01:00", tick=False)
def test_legal_actions_follow_the_state(fresh_municipality, ale):
    assert services.legal_actions(fresh_municipality) == [
        "register_enquiry",
        "register_application",
    ]
    assert services.legal_actions(ale) == ["register_termination", "end_connection"]
    services.register_termination(ale, D(2026, 3, 1), end_date=D(2026, 6, 1))
    assert services.legal_actions(ale) == [
        "end_connection",
        "withdraw_termination",
        "cancel_planned_step",
    ]
