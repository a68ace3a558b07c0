import datetime

import time_machine
from django.core.management import call_command

from bibblix.lending import services
from bibblix.lending.models import Loan, LoanPolicy
from bibblix.patrons.models import Patron
from bibblix.usage.models import UsageEvent

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)


def test_account_is_deleted_after_three_years_without_activity(ale, make_patron, book):
    with time_machine.travel(START, tick=False):
        quiet, busy = make_patron(ale), make_patron(ale)
        services.borrow(quiet, book.pk)
    with time_machine.travel(START + datetime.timedelta(days=365 * 2), tick=False):
        services.borrow(busy, book.pk)
    with time_machine.travel(START + datetime.timedelta(days=365 * 3 + 30), tick=False):
        call_command("apply_retention")
        call_command("apply_retention")  # idempotent
    assert list(Patron.objects.all()) == [busy]
    assert not Loan.objects.filter(patron_id=quiet.pk).exists()
    assert UsageEvent.objects.filter(kind="borrowed").count() == 2  # anonymous counts stay


def test_account_is_kept_until_the_rule_has_passed(ale, make_patron, book):
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
        services.borrow(patron, book.pk)
    with time_machine.travel(START + datetime.timedelta(days=365 * 3 - 2), tick=False):
        call_command("apply_retention")
    assert Patron.objects.filter(pk=patron.pk).exists()


def test_municipality_can_keep_accounts_for_a_shorter_time(ale, make_patron):
    LoanPolicy.objects.create(municipality=ale, retention_years=1)
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
    with time_machine.travel(START + datetime.timedelta(days=400), tick=False):
        call_command("apply_retention")
    assert not Patron.objects.filter(pk=patron.pk).exists()


def test_old_loan_history_of_an_active_child_is_deleted(ale, make_patron, make_book):
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
        old, _ = services.borrow(patron, make_book("Gammal").pk)
        services.return_loan(patron, old.pk)
    with time_machine.travel(START + datetime.timedelta(days=365 * 3 + 5), tick=False):
        new, _ = services.borrow(patron, make_book("Ny").pk)
        call_command("apply_retention")
    assert list(Loan.objects.filter(patron=patron)) == [new]


def test_retention_runs_as_a_task(ale, make_patron):
    from bibblix.lending.tasks import apply_retention_task

    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
    with time_machine.travel(START + datetime.timedelta(days=365 * 4), tick=False):
        result = apply_retention_task.enqueue()
    assert result.return_value == [1, 0]
    assert not Patron.objects.filter(pk=patron.pk).exists()
