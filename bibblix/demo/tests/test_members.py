"""The demo register: 33 municipalities, 31 through the Västra Götaland group, with histories."""

import datetime

import pytest
import time_machine

from bibblix.demo import members as demo
from bibblix.members import services
from bibblix.members.models import ConnectionEvent, Contact, Organisation

State = ConnectionEvent.State
pytestmark = [pytest.mark.shared, pytest.mark.django_db]


@time_machine.travel("2026-11-25 10:00 +01:00", tick=False)
def test_demo_register_holds_the_shared_municipalities_with_histories():
    demo.load(out=lambda line: None)
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    assert municipalities.count() == 33
    region = Organisation.objects.get(abbreviation="VGR")
    assert len(services.group_member_ids(region)) == 31
    assert municipalities.filter(group=region).count() == 31
    assert region.invoiced_by.kind == Organisation.Kind.INVOICING_BODY
    year_start = datetime.date(2026, 1, 1)
    this_year = ConnectionEvent.objects.filter(effective_date__gte=year_start, cancelled_at=None)
    assert this_year.filter(state=State.CONNECTED, organisation__name="Tjörn").exists()
    assert this_year.filter(state=State.ENDED, organisation__name="Strömstad").exists()
    gullspang = municipalities.get(name="Gullspång")
    assert services.is_connected(gullspang)
    assert gullspang.connection_events.filter(
        state=State.ENDED, effective_date__gt=datetime.date(2026, 11, 25)
    ).exists()
    assert not services.is_connected(municipalities.get(name="Karlsborg"))
    assert services.is_connected(municipalities.get(name="Karlsborg"), datetime.date(2026, 12, 5))
    assert Contact.objects.filter(role=Contact.Role.COORDINATOR).count() == 2
    assert not municipalities.exclude(organisation_number="").exists()


def test_demo_register_loads_twice_without_duplicates():
    demo.load(out=lambda line: None)
    counts = [m.objects.count() for m in (Organisation, ConnectionEvent, Contact)]
    demo.load(out=lambda line: None)
    assert [m.objects.count() for m in (Organisation, ConnectionEvent, Contact)] == counts
