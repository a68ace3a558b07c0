"""Coordinators get an e-mail when a notice of termination is registered and before a go-live;
nothing is sent twice."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from bibblix.members import services
from bibblix.members.lifecycle import TransitionRefused
from bibblix.members.models import Notification

D = datetime.date


def test_termination_mails_coordinator_contacts_and_association_admins(
    ale, coordinator, coordinator_contact, django_capture_on_commit_callbacks
):
    coordinator.email = "admin@bibblix.example"
    coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.register_termination(
            ale, D(2026, 1, 15), end_date=D(2026, 7, 1), reason="Budget", user=coordinator
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == ["admin@bibblix.example", "kim@bibblix.example"]
    assert message.subject == "Bibblix: Ale har sagt upp anslutningen"
    assert "Slutdatum (första dagen utan tjänsten): 2026-07-01" in message.body
    assert "Skäl: Budget" in message.body


def test_no_mail_when_the_step_is_refused(
    ale, coordinator_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionRefused):
        services.register_termination(ale, D(2019, 1, 1), end_date=D(2019, 7, 1))
    assert mail.outbox == []


def test_go_live_notice_is_sent_once(fresh_municipality, coordinator_contact, capsys):
    with time_machine.travel("2026-05-01 07:00 +02:00", tick=False):
        services.register_application(fresh_municipality, D(2026, 3, 1))
        services.sign_agreement(fresh_municipality, D(2026, 4, 1))
        services.connect(fresh_municipality, D(2026, 5, 20))
        call_command("notify_go_live", "--days", "14")
        assert mail.outbox == []
    with time_machine.travel("2026-05-08 07:00 +02:00", tick=False):
        call_command("notify_go_live", "--days", "14")
        call_command("notify_go_live", "--days", "14")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Bibblix: Tjörn startar 2026-05-20"
    assert Notification.objects.filter(kind=Notification.Kind.GO_LIVE).count() == 1
    assert "1 meddelanden om driftstart skickade" in capsys.readouterr().out


def test_cancelled_go_live_is_not_announced(fresh_municipality, coordinator_contact):
    with time_machine.travel("2026-05-08 07:00 +02:00", tick=False):
        services.register_application(fresh_municipality, D(2026, 3, 1))
        services.sign_agreement(fresh_municipality, D(2026, 4, 1))
        services.connect(fresh_municipality, D(2026, 5, 20))
        services.cancel_planned_step(fresh_municipality, "Flyttat")
        call_command("notify_go_live")
    assert mail.outbox == []
