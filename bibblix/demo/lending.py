"""Demo lending data: the service's default rules written out for Ale, and a few loans for the
first demo card in Ale so that "Mina böcker" is not empty (idempotent: the loans are made once;
a demo child who has returned them, or whose loans have run out, gets none again)."""

import contextlib

from bibblix.catalogue import services as catalogue
from bibblix.lending import services
from bibblix.lending.models import Loan, LoanPolicy
from bibblix.members import services as members

DEMO_CARD = "10000001"


def load(out=print) -> None:
    from bibblix.patrons.services import patron_for_card

    library = members.connected_libraries().filter(municipality__name="Ale").first()
    if library is None:
        out("  lending: no connected Ale in the demo data, no demo loans")
        return
    LoanPolicy.objects.get_or_create(municipality=library.municipality)
    patron = patron_for_card(library, DEMO_CARD)
    made = 0
    # Any loan, open or ended, means an earlier load (or the person trying the demo) was here.
    if not Loan.objects.filter(patron=patron).exists():
        for book in catalogue.featured_books(limit=2):
            with contextlib.suppress(services.LendingRefused):
                made += services.borrow(patron, book.pk)[1]
    out(f"  lending: loan rules for Ale, {made} new demo loans for card {DEMO_CARD}")
