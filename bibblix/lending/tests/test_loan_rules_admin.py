from bibblix.lending.models import LoanPolicy


def test_municipality_admin_edits_their_own_loan_rules(client, municipality_admin_ale, ale):
    client.force_login(municipality_admin_ale)
    response = client.post(
        "/staff/lending/loanpolicy/add/",
        {
            "municipality": ale.pk,
            "weekly_limit": 3,
            "loan_days": 21,
            "max_holds": 2,
            "retention_years": 3,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = LoanPolicy.objects.get(municipality=ale)
    assert (policy.weekly_limit, policy.max_holds) == (3, 2)


def test_municipality_admin_cannot_set_rules_for_another_municipality(
    client, municipality_admin_ale, boras
):
    client.force_login(municipality_admin_ale)
    response = client.post(
        "/staff/lending/loanpolicy/add/",
        {
            "municipality": boras.pk,
            "weekly_limit": 50,
            "loan_days": 21,
            "max_holds": 5,
            "retention_years": 3,
        },
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not LoanPolicy.objects.exists()


def test_librarian_of_boras_sees_nothing_of_ales_rules(client, librarian_boras, ale):
    policy = LoanPolicy.objects.create(municipality=ale, weekly_limit=4)
    client.force_login(librarian_boras)
    listing = client.get("/staff/lending/loanpolicy/")
    assert listing.status_code == 200
    assert "Ale" not in listing.content.decode()
    assert client.get(f"/staff/lending/loanpolicy/{policy.pk}/change/").status_code in {302, 404}


def test_librarian_cannot_change_loan_rules(client, librarian_ale, ale):
    policy = LoanPolicy.objects.create(municipality=ale, weekly_limit=4)
    client.force_login(librarian_ale)
    response = client.post(
        f"/staff/lending/loanpolicy/{policy.pk}/change/",
        {"weekly_limit": 50, "loan_days": 21, "retention_years": 3},
    )
    assert response.status_code == 403
    policy.refresh_from_db()
    assert policy.weekly_limit == 4


def test_librarian_of_boras_sees_no_loans_of_ale(client, librarian_boras, patron_ale):
    from bibblix.catalogue.models import Book
    from bibblix.lending import services

    loan, _ = services.borrow(patron_ale, Book.objects.create(title="Ales bok").pk)
    client.force_login(librarian_boras)
    assert "Ales bok" not in client.get("/staff/lending/loan/").content.decode()
    assert client.get(f"/staff/lending/loan/{loan.pk}/change/").status_code in {302, 404}
