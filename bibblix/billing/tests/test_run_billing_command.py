import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bibblix.billing.models import BillingRun, Invoice
from bibblix.billing.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    b.schedule(2025)
    sambruk, gits, vgr = b.arrangement()
    b.municipality("Ale", "1440", 20_000)
    return sambruk, gits, vgr


def _run(*args) -> str:
    from io import StringIO

    out = StringIO()
    with translation.override("sv"):
        call_command("run_billing", *args, stdout=out)
    return out.getvalue()


def test_run_billing_previews_then_approves_and_then_has_nothing_new(setup):
    sambruk, _gits, _vgr = setup
    preview = _run("2025", "--issuer", str(sambruk.organisation_id))
    assert "Sambruk 2025: körning" in preview and "förhandsgranskning" in preview
    assert not Invoice.objects.exclude(number="").exists()
    approved = _run("2025", "--issuer", str(sambruk.organisation_id), "--approve")
    assert "nummer SB10001–SB10003" in approved
    assert _run("2025", "--issuer", str(sambruk.organisation_id)) == (
        "Sambruk 2025: inget nytt att fakturera.\n"
    )
    assert BillingRun.objects.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["20x5"], "Ange år som ett tal från 2000 till 2100, inte '20x5'."),
        (["2025", "--quarter", "5"], "Ange kvartal som ett tal från 1 till 4, inte '5'."),
        (["2025", "--issuer", "999999"], "Ingen fakturautställare har organisations-id 999999."),
        (["2031"], "Det finns ingen avgiftsplan för 2031."),
    ],
)
def test_bad_arguments_give_one_clear_line(setup, args, message):
    with pytest.raises(CommandError) as error:
        _run(*args)
    assert str(error.value) == message


def test_approval_without_buyer_reference_is_refused_in_one_line(setup):
    sambruk, _gits, _vgr = setup
    b.Organisation.objects.filter(name="Ale").update(invoice_reference="")
    with pytest.raises(CommandError) as error:
        _run("2025", "--issuer", str(sambruk.organisation_id), "--approve")
    assert str(error.value) == "Sambruk: inte godkänd: Ale saknar: köparens referens."
