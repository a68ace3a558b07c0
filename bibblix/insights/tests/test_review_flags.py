"""The review of connected libraries: flags, each with a link to where it is fixed."""

import time_machine

from bibblix.insights.review import is_failing, review

from .report_builders import register


@time_machine.travel("2026-12-10 10:00 +0100", tick=False)
def test_register_flags_link_to_where_they_are_fixed(db):
    reg = register()
    reg.ale.peppol_id = ""
    reg.ale.invoice_reference = ""
    reg.ale.save()
    reg.kungalv.organisation_number = ""
    reg.kungalv.peppol_id = ""
    reg.kungalv.save()
    rows, _logins, _billing = review()
    flags = {row.municipality.name: {flag.code: flag.url for flag in row.flags} for row in rows}
    assert list(flags) == ["Ale", "Borås", "Kungälv", "Lerum"]  # connected today; not Tjörn
    ale_change = f"/staff/members/organisation/{reg.ale.pk}/change/"
    assert {k: flags["Ale"][k] for k in ("peppol", "reference")} == {
        "peppol": ale_change,
        "reference": ale_change,
    }
    assert "org_number" not in flags["Ale"] and "notice" not in flags["Ale"]
    assert {"org_number", "peppol"} <= set(flags["Kungälv"])
    assert flags["Lerum"]["notice"] == f"/staff/members/organisation/{reg.lerum.pk}/member/"
    assert "contact" in flags["Borås"] and "contact" not in flags["Ale"]


def test_a_failing_library_system_is_timeouts_or_mostly_failed_logins():
    assert is_failing({"timeouts": 1, "logins": 500})
    assert is_failing({"login_failures": 12, "logins": 3})
    assert not is_failing({"login_failures": 12, "logins": 300})  # children mistyping PINs
    assert not is_failing({"login_failures": 4, "logins": 0})
    assert not is_failing({})


def test_the_review_page_lists_flags_with_links(client, coordinator):
    reg = register()
    client.force_login(coordinator)
    page = client.get("/staff/insights/review/").content.decode()
    assert f'href="/staff/members/organisation/{reg.lerum.pk}/member/"' in page
    assert 'data-flag="notice"' in page
