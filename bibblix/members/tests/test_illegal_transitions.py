"""Steps the state machine does not allow are refused with a clear Swedish message."""

import datetime

import pytest

from bibblix.members import services
from bibblix.members.lifecycle import TransitionRefused
from bibblix.members.models import ConnectionEvent, Organisation

D = datetime.date


def test_connect_without_agreement_is_refused_in_swedish(fresh_municipality):
    services.register_enquiry(fresh_municipality, D(2026, 1, 1))
    with pytest.raises(TransitionRefused) as refused:
        services.connect(fresh_municipality, D(2026, 2, 1))
    assert refused.value.messages == ["Tjörn kan inte gå från ”Förfrågan” till ”Ansluten”."]
    assert fresh_municipality.connection_events.count() == 1


def test_termination_of_a_member_that_is_not_connected_is_refused(fresh_municipality):
    with pytest.raises(TransitionRefused, match="ingen historik"):
        services.register_termination(fresh_municipality, D(2026, 1, 1), end_date=D(2026, 7, 1))


def test_second_notice_is_refused(ale):
    services.register_termination(ale, D(2099, 1, 1), end_date=D(2099, 7, 1))
    with pytest.raises(TransitionRefused, match="redan sagt upp"):
        services.register_termination(ale, D(2099, 2, 1), end_date=D(2099, 8, 1))


def test_reconnect_of_a_connected_member_is_refused(ale):
    with pytest.raises(TransitionRefused):
        services.reconnect(ale, D(2026, 1, 1))


def test_agreement_twice_is_refused(fresh_municipality):
    services.register_application(fresh_municipality, D(2026, 1, 1))
    services.sign_agreement(fresh_municipality, D(2026, 2, 1))
    with pytest.raises(TransitionRefused):
        services.sign_agreement(fresh_municipality, D(2026, 3, 1))


def test_a_step_dated_before_the_latest_step_is_refused(ale):
    with pytest.raises(TransitionRefused, match="före det senaste steget"):
        services.register_termination(ale, D(2019, 6, 1), end_date=D(2019, 12, 1))
    assert ale.connection_events.count() == 1


def test_end_date_before_the_notice_period_runs_out_is_refused(ale):
    with pytest.raises(TransitionRefused, match="uppsägningstiden"):
        services.register_termination(ale, D(2026, 1, 1), end_date=D(2026, 3, 1), notice_months=6)
    assert ale.connection_events.count() == 1


def test_termination_needs_an_end_date_or_notice_period(ale):
    with pytest.raises(TransitionRefused):
        services.register_termination(ale, D(2026, 1, 1))


def test_regions_do_not_connect(region):
    with pytest.raises(TransitionRefused, match="Endast kommuner"):
        services.register_enquiry(region, D(2026, 1, 1))


def test_refusal_is_a_validation_error(fresh_municipality):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.sign_agreement(fresh_municipality, D(2026, 1, 1))


def test_record_event_may_start_anywhere_but_then_follows_the_machine(db):
    org = Organisation.objects.create(name="Hjo", municipality_code="1497")
    services.record_event(org, ConnectionEvent.State.CONNECTED, D(2021, 1, 1))
    with pytest.raises(TransitionRefused):
        services.record_event(org, ConnectionEvent.State.AGREEMENT_SIGNED, D(2022, 1, 1))
