"""Who was connected on date D is a query over the dated history."""

import datetime

import time_machine
from django.core.management import call_command

from bibblix.members import services
from bibblix.members.models import Membership

D = datetime.date


def test_connected_on_follows_each_history(ale, boras, fresh_municipality):
    services.register_termination(boras, D(2024, 1, 1), end_date=D(2024, 7, 1))
    services.register_application(fresh_municipality, D(2024, 1, 1))
    services.sign_agreement(fresh_municipality, D(2024, 2, 1))
    services.connect(fresh_municipality, D(2024, 3, 1))

    def names(day):
        return sorted(m.name for m in services.connected_on(day))

    assert names(D(2019, 12, 31)) == []
    assert names(D(2024, 2, 29)) == ["Ale", "Borås"]
    assert names(D(2024, 3, 1)) == ["Ale", "Borås", "Tjörn"]
    assert names(D(2024, 7, 1)) == ["Ale", "Tjörn"]


def test_connected_on_defaults_to_today(ale):
    services.end_connection(ale, D(2026, 6, 1))
    with time_machine.travel("2026-05-31 12:00 +02:00", tick=False):
        assert list(services.connected_on()) == [ale]
    with time_machine.travel("2026-06-01 12:00 +02:00", tick=False):
        assert list(services.connected_on()) == []


def test_cancelled_steps_do_not_count(ale):
    with time_machine.travel("2026-01-01 12:00 +01:00", tick=False):
        services.end_connection(ale, D(2026, 6, 1))
        services.cancel_planned_step(ale)
    assert services.is_connected(ale, D(2026, 7, 1))


def test_connected_members_command_lists_route(ale, boras, region, capsys):
    services.record_membership(boras, Membership.Route.THROUGH_GROUP, D(2021, 1, 1), region)
    services.record_membership(ale, Membership.Route.DIRECT, D(2019, 1, 1))
    services.register_termination(ale, D(2030, 1, 1), end_date=D(2030, 7, 1))
    call_command("connected_members", "2030-06-30")
    out = capsys.readouterr().out
    assert "Anslutna 2030-06-30: 2 kommuner" in out
    assert "1440\tAle\tdirektmedlemskap" in out
    assert "1490\tBorås\tgenom Västra Götalandsregionen" in out
    call_command("connected_members", "2030-07-01")
    out = capsys.readouterr().out
    assert "Ale" not in out and "Borås" in out


def test_connection_periods_for_invoicing(ale):
    services.register_termination(ale, D(2023, 1, 1), end_date=D(2023, 7, 1))
    services.reconnect(ale, D(2024, 3, 1))
    assert services.connection_periods(ale) == [
        (D(2020, 1, 1), D(2023, 7, 1)),
        (D(2024, 3, 1), None),
    ]


def test_a_withdrawn_notice_keeps_one_open_period(ale):
    with time_machine.travel("2026-03-01 10:00 +01:00", tick=False):
        services.register_termination(ale, D(2026, 2, 1), end_date=D(2026, 9, 1))
        services.withdraw_termination(ale, "Ångrade sig")
    assert services.connection_periods(ale) == [(D(2020, 1, 1), None)]
