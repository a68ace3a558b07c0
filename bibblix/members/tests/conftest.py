"""Builders for the member register's own tests."""

import datetime

import pytest

from bibblix.members.models import Contact, Organisation


@pytest.fixture
def fresh_municipality(make_municipality):
    """A municipality with no connection history yet (Tjörn)."""
    return make_municipality("Tjörn", "1419", connected_since=None)


@pytest.fixture
def region(db):
    return Organisation.objects.create(
        kind=Organisation.Kind.REGION, name="Västra Götalandsregionen", abbreviation="VGR"
    )


@pytest.fixture
def coordinator_contact(db):
    association = Organisation.objects.create(
        kind=Organisation.Kind.ASSOCIATION, name="Föreningen Bibblix"
    )
    return Contact.objects.create(
        organisation=association,
        role=Contact.Role.COORDINATOR,
        name="Kim Koordinator",
        email="kim@bibblix.example",
    )


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
