"""Structured invoice addresses and who invoices whom, from the dated memberships."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from bibblix.members import services
from bibblix.members.models import Membership, Organisation
from bibblix.members.validators import split_postal_address

pytestmark = pytest.mark.django_db
Route = Membership.Route


def test_free_text_address_is_read_into_structured_fields():
    assert split_postal_address("Ale kommun\nFakturaservice\nBox 73\n44980 Alafors", "Ale") == {
        "address_line": "Fakturaservice",
        "street": "Box 73",
        "postcode": "449 80",
        "city": "Alafors",
    }
    # What cannot be read is kept, not lost.
    assert split_postal_address("Kommunhuset", "Ale")["street"] == "Kommunhuset"


def test_postcode_is_normalised_and_a_bad_one_refused(ale):
    ale.postcode, ale.city = "SE-44980", "Alafors"
    ale.full_clean()
    assert ale.postcode == "449 80"
    ale.postcode = "4498"
    with pytest.raises(ValidationError) as error:
        ale.full_clean()
    assert "postcode" in error.value.message_dict


@pytest.fixture
def arrangement(ale, boras, region):
    sambruk = Organisation.objects.create(kind=Organisation.Kind.ASSOCIATION, name="Sambruk")
    gits = Organisation.objects.create(kind=Organisation.Kind.INVOICING_BODY, name="GITS")
    other_body = Organisation.objects.create(kind=Organisation.Kind.INVOICING_BODY, name="Nytt IT")
    services.record_membership(region, Route.GROUP, datetime.date(2020, 1, 1), invoiced_by=gits)
    # From 2027 another body invoices the group's municipalities.
    services.record_membership(
        region, Route.GROUP, datetime.date(2027, 1, 1), invoiced_by=other_body
    )
    services.record_membership(ale, Route.THROUGH_GROUP, datetime.date(2021, 1, 1), region)
    services.record_membership(boras, Route.DIRECT, datetime.date(2019, 1, 1))
    return sambruk, gits, other_body


def test_who_invoices_whom_follows_the_dated_memberships(ale, boras, region, arrangement):
    sambruk, gits, other_body = arrangement
    day = datetime.date(2026, 6, 1)
    assert services.invoicer_on(boras, day) == sambruk
    assert services.invoicer_on(region, day) == sambruk
    assert services.invoicer_on(ale, day) == gits
    assert services.invoicer_on(ale, datetime.date(2027, 2, 1)) == other_body
    assert services.invoicer_on(ale, datetime.date(2020, 6, 1)) is None  # not yet a member
    rows = {
        (invoicer.name, buyer.name)
        for invoicer, buyer, _m in services.invoicing_arrangement_on(day)
    }
    assert rows == {("GITS", ale.name), ("Sambruk", boras.name), ("Sambruk", region.name)}


def test_only_a_group_membership_names_an_invoicing_body(ale, arrangement):
    _sambruk, gits, _other = arrangement
    membership = Membership(organisation=ale, route=Route.DIRECT, invoiced_by=gits)
    with pytest.raises(ValidationError):
        membership.full_clean()
