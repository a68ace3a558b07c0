import datetime

import pytest
import time_machine
from django.core.management import call_command

from bibblix.demo import lending as demo
from bibblix.lending import services
from bibblix.lending.models import Loan, LoanPolicy

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


def test_demo_gives_ales_first_card_loans_once(make_municipality, make_book):
    ale = make_municipality("Ale", "1440")
    make_book("Utvald", is_featured=True)
    demo.load(out=lambda line: None)
    demo.load(out=lambda line: None)
    assert LoanPolicy.objects.filter(municipality=ale).count() == 1
    loan = Loan.objects.get()
    assert services.has_active_loan(loan.patron, loan.book)


def test_loading_again_after_returning_the_demo_loans_adds_none(make_municipality, make_book):
    make_municipality("Ale", "1440")
    make_book("Utvald", is_featured=True)
    demo.load(out=lambda line: None)
    loan = Loan.objects.get()
    services.return_loan(loan.patron, loan.pk)
    demo.load(out=lambda line: None)
    assert Loan.objects.count() == 1


def test_make_run_twice_a_month_apart_keeps_the_loan_count():
    """`make run` loads the demo each time: the second run, after the loans ran out, adds none."""
    with time_machine.travel(START, tick=False):
        call_command("load_demo_data", books=40, stdout=_Quiet())
    loans = Loan.objects.count()
    assert loans > 0
    with time_machine.travel(START + datetime.timedelta(days=35), tick=False):
        call_command("load_demo_data", books=40, stdout=_Quiet())
    assert Loan.objects.count() == loans


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass
