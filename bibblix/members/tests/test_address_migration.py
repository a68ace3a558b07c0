"""The free-text invoice address is read into structured fields by migration 0003, and a region's
invoicing body moves onto its dated group membership."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("members", "0002_contacts_memberships_lifecycle")]
AFTER = [("members", "0003_structured_address_and_dated_invoicing_body")]


@pytest.mark.django_db(transaction=True)
def test_migration_structures_addresses_and_dates_the_invoicing_body():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Organisation, Membership = (
        old.get_model("members", "Organisation"),
        old.get_model("members", "Membership"),
    )
    body = Organisation.objects.create(kind="invoicing_body", name="GITS")
    region = Organisation.objects.create(kind="region", name="VGR", invoiced_by=body)
    Membership.objects.create(organisation=region, route="group")
    Organisation.objects.create(
        kind="municipality",
        name="Ale",
        municipality_code="1440",
        invoice_address="Ale kommun\nFakturaservice\nBox 73\n449 80 Alafors",
    )
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    ale = new.get_model("members", "Organisation").objects.get(name="Ale")
    assert (ale.address_line, ale.street, ale.postcode, ale.city, ale.country_code) == (
        "Fakturaservice",
        "Box 73",
        "449 80",
        "Alafors",
        "SE",
    )
    group = new.get_model("members", "Membership").objects.get(organisation__name="VGR")
    assert group.invoiced_by_id == body.pk
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
