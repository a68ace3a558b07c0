"""The staff area in Swedish: section headings per app, fees in kronor and rates in per cent
(forms and lists) instead of raw öre and basis points."""

import pytest
from django.urls import reverse

from bibblix.billing.models import FeeSchedule, FeeTier
from bibblix.lib.money_fields import KronorField, PercentField


@pytest.fixture
def schedule(db):
    schedule = FeeSchedule.objects.create(
        year=2027, vat_rate_basis_points=2500, connection_fee_ore=1_250_050
    )
    FeeTier.objects.create(
        schedule=schedule, max_population=10_000, direct_fee_ore=3_000_000, group_fee_ore=0
    )
    return schedule


def test_admin_index_has_swedish_section_headings(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    for heading in ("Barnens konton", "Katalog", "Fakturering"):
        assert heading in page
    for english in ("Patrons", "Catalogue", ">Lending<"):
        assert english not in page


def test_fee_list_shows_kronor_and_per_cent(client, coordinator, schedule):
    client.force_login(coordinator)
    page = client.get(reverse("admin:billing_feeschedule_changelist")).content.decode()
    assert "12\u00a0500,50\u00a0kr" in page
    assert "25\u00a0%" in page
    assert ">2500<" not in page


def test_fee_form_shows_and_takes_kronor_and_per_cent(client, django_user_model, schedule):
    client.force_login(django_user_model.objects.create_superuser("chief", password="x"))
    url = reverse("admin:billing_feeschedule_change", args=[schedule.pk])
    page = client.get(url).content.decode()
    assert 'value="12500,50"' in page  # connection fee
    assert 'value="30000,00"' in page  # the tier's annual fee
    assert "anslutningsavgift, engångs (kr)" in page
    assert "momssats (%)" in page
    assert "(öre)" not in page and "baspunkter" not in page


@pytest.mark.parametrize(
    "typed,ore", [("12 500,50", 1_250_050), ("12500.5", 1_250_050), ("0,01", 1), ("7", 700)]
)
def test_kronor_typed_are_stored_as_ore(typed, ore):
    assert KronorField().clean(typed) == ore


@pytest.mark.parametrize("typed,points", [("25", 2500), ("6,5", 650), ("12,25 %", 1225)])
def test_per_cent_typed_are_stored_as_basis_points(typed, points):
    assert PercentField().clean(typed) == points


@pytest.mark.parametrize("typed", ["tolv", "1e400", "NaN", "1,2,3"])
def test_not_an_amount_is_refused_clearly(typed):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        KronorField().clean(typed)


def test_invoice_list_states_are_swedish(client, coordinator):
    from bibblix.billing.tests.payment_builders import make_invoice, make_issuer
    from bibblix.members.models import Organisation

    buyer = Organisation.objects.create(kind=Organisation.Kind.MUNICIPALITY, name="Ale kommun")
    make_invoice(make_issuer(), buyer, 17, 1_000_00)
    client.force_login(coordinator)
    page = client.get(reverse("admin:billing_invoice_changelist")).content.decode()
    assert ">obetald<" in page and ">open<" not in page
