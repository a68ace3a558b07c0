from bibblix.demo import lending as demo
from bibblix.lending import services
from bibblix.lending.models import Loan, LoanPolicy


def test_demo_gives_ales_first_card_loans_once(make_municipality, make_book):
    ale = make_municipality("Ale", "1440")
    make_book("Utvald", is_featured=True)
    demo.load(out=lambda line: None)
    demo.load(out=lambda line: None)
    assert LoanPolicy.objects.filter(municipality=ale).count() == 1
    loan = Loan.objects.get()
    assert services.has_active_loan(loan.patron, loan.book)
