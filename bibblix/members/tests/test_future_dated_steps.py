"""Future-dated steps take effect by themselves on their date, with no job."""

import datetime

import time_machine

from bibblix.members import services

D = datetime.date


def test_notice_today_with_end_next_month_connected_until_then_ended_after(ale, coordinator):
    with time_machine.travel("2026-05-10 09:00 +02:00", tick=False):
        services.register_termination(
            ale, services.today(), end_date=D(2026, 6, 1), reason="Budget", user=coordinator
        )
        assert services.is_connected(ale)
        assert ale in services.connected_on()
    with time_machine.travel("2026-05-31 23:30 +02:00", tick=False):
        assert services.is_connected(ale)
    with time_machine.travel("2026-06-01 00:10 +02:00", tick=False):
        assert not services.is_connected(ale)
        assert ale not in services.connected_on()
        assert not services.connected_libraries().filter(municipality=ale).exists()


def test_future_go_live_is_not_connected_before_it(fresh_municipality):
    with time_machine.travel("2026-05-10 09:00 +02:00", tick=False):
        services.register_application(fresh_municipality, D(2026, 4, 1))
        services.sign_agreement(fresh_municipality, D(2026, 5, 1))
        services.connect(fresh_municipality, D(2026, 9, 1))
        assert not services.is_connected(fresh_municipality)
    with time_machine.travel("2026-09-01 08:00 +02:00", tick=False):
        assert services.is_connected(fresh_municipality)


def test_future_notice_may_be_withdrawn_before_it_happens(ale):
    with time_machine.travel("2026-05-10 09:00 +02:00", tick=False):
        services.register_termination(ale, D(2026, 6, 1), end_date=D(2026, 12, 1))
        services.withdraw_termination(ale, "Missförstånd")
        assert services.state_on(ale, D(2026, 6, 15)) == "connected"
        assert ale.connection_events.filter(cancelled_at__isnull=True).count() == 1
