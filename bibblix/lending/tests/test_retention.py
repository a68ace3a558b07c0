import datetime
import importlib

import time_machine
from django.apps import apps
from django.core.management import call_command

from bibblix.lending import services
from bibblix.lending.models import Bookmark, Hold, Loan, LoanPolicy, ReadingProgress
from bibblix.patrons.models import Patron
from bibblix.usage.models import UsageEvent

START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
YEAR = datetime.timedelta(days=365)


def test_account_is_deleted_after_three_years_without_activity(ale, make_patron, book):
    with time_machine.travel(START, tick=False):
        quiet, busy = make_patron(ale), make_patron(ale)
        services.borrow(quiet, book.pk)
    with time_machine.travel(START + 2 * YEAR, tick=False):
        services.borrow(busy, book.pk)
    with time_machine.travel(START + 3 * YEAR + datetime.timedelta(days=30), tick=False):
        call_command("apply_retention")
        call_command("apply_retention")  # idempotent
    assert list(Patron.objects.all()) == [busy]
    assert not Loan.objects.filter(patron_id=quiet.pk).exists()
    assert UsageEvent.objects.filter(kind="borrowed").count() == 2  # anonymous counts stay


def test_inactive_child_goes_with_loans_positions_and_bookmarks(ale, make_patron, book):
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
        services.borrow(patron, book.pk)
        services.record_progress(patron, book.pk, "epubcfi(/6/4)", 1.0)
        services.add_bookmark(patron, book.pk, "epubcfi(/6/2)", "Kapitel 1")
    events = UsageEvent.objects.count()
    assert set(UsageEvent.objects.values_list("kind", flat=True)) >= {"borrowed", "finished"}
    with time_machine.travel(START + 3 * YEAR + datetime.timedelta(days=30), tick=False):
        out = _run("apply_retention")
    assert out == "accounts deleted: 1, old loans deleted: 0"
    assert not Patron.objects.filter(pk=patron.pk).exists()
    for model in (Loan, ReadingProgress, Bookmark):
        assert not model.objects.filter(patron_id=patron.pk).exists(), model
    assert UsageEvent.objects.count() == events  # statistics are not personal data


def test_reading_without_logging_in_again_keeps_the_account(ale, make_patron, book):
    """A child who stays logged in and reads is active, though the last login is years old."""
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
        services.borrow(patron, book.pk)
    with time_machine.travel(START + 2 * YEAR, tick=False):
        services.record_progress(patron, book.pk, "epubcfi(/6/8)", 0.4)
    with time_machine.travel(START + 3 * YEAR + datetime.timedelta(days=30), tick=False):
        call_command("apply_retention")
    assert Patron.objects.filter(pk=patron.pk).exists()
    assert ReadingProgress.objects.filter(patron=patron).exists()


def test_returning_a_book_is_activity(ale, make_patron, book):
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
        loan, _ = services.borrow(patron, book.pk)
    with time_machine.travel(START + datetime.timedelta(days=20), tick=False):
        services.return_loan(patron, loan.pk)
    with time_machine.travel(START + 3 * YEAR + datetime.timedelta(days=10), tick=False):
        call_command("apply_retention")
    assert Patron.objects.filter(pk=patron.pk).exists()


def test_child_waiting_in_a_queue_is_kept(ale, make_patron, make_book):
    book = make_book("Populär", copies=1)
    with time_machine.travel(START, tick=False):
        reader, waiting = make_patron(ale), make_patron(ale)
        services.borrow(reader, book.pk)
        services.place_hold(waiting, book.pk)
        Patron.objects.filter(pk=reader.pk).update(last_active_at=START + 3 * YEAR)
    with time_machine.travel(START + 3 * YEAR + datetime.timedelta(days=30), tick=False):
        call_command("apply_retention")
    assert Hold.objects.filter(patron=waiting).exists()
    assert Patron.objects.filter(pk=waiting.pk).exists()


def test_account_is_kept_until_the_rule_has_passed(ale, make_patron, book):
    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
        services.borrow(patron, book.pk)
    with time_machine.travel(START + 3 * YEAR - datetime.timedelta(days=2), tick=False):
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
    with time_machine.travel(START + 3 * YEAR + datetime.timedelta(days=5), tick=False):
        new, _ = services.borrow(patron, make_book("Ny").pk)
        call_command("apply_retention")
    assert list(Loan.objects.filter(patron=patron)) == [new]


def test_retention_runs_as_a_task(ale, make_patron):
    from bibblix.lending.tasks import apply_retention_task

    with time_machine.travel(START, tick=False):
        patron = make_patron(ale)
    with time_machine.travel(START + 4 * YEAR, tick=False):
        result = apply_retention_task.enqueue()
    assert result.return_value == [1, 0]
    assert not Patron.objects.filter(pk=patron.pk).exists()


def test_migration_carries_reading_since_the_last_login_over(ale, make_patron, book):
    """Before the stamp was bumped by lending, it knew only logins: the data migration moves
    each child's latest loan, hold, position or bookmark into it."""
    migration = importlib.import_module(
        "bibblix.lending.migrations.0005_patron_activity_from_lending"
    )
    with time_machine.travel(START, tick=False):
        reader, idle = make_patron(ale), make_patron(ale)
        services.borrow(reader, book.pk)
    read_at = START + 2 * YEAR
    ReadingProgress.objects.create(patron=reader, book=book, percentage=0.5, updated_at=read_at)
    migration.carry_activity_over(apps, None)
    reader.refresh_from_db()
    idle.refresh_from_db()
    assert (reader.last_active_at, idle.last_active_at) == (read_at, START)


def _run(command: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue().strip()
