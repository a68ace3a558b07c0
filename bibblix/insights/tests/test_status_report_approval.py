"""Approval freezes a version; a new version starts as a draft; approval is permission-gated
and audited."""

import pytest

from bibblix.audit.models import AuditEntry
from bibblix.insights.models import StatusReport
from bibblix.insights.quarters import YearQuarter
from bibblix.insights.report import approve_report, content_of, start_draft
from bibblix.members.models import ConnectionEvent

from .report_builders import day, register

Q4 = YearQuarter(2026, 4)


def test_approval_freezes_the_content_against_later_register_changes(db, coordinator):
    reg = register()
    draft = start_draft(Q4, coordinator)
    draft.background = "Bakgrund"
    draft.save()
    approved = approve_report(draft, coordinator, reason="Styrelsemöte")
    ConnectionEvent.objects.create(
        organisation=reg.ale, state=ConnectionEvent.State.ENDED, effective_date=day("2026-12-01")
    )
    reg.boras.name = "Borås stad"
    reg.boras.save()
    frozen = content_of(StatusReport.objects.get(pk=approved.pk))
    assert [m["name"] for m in frozen["municipalities"]] == ["Ale", "Borås", "Kungälv", "Lerum"]
    assert frozen["background"] == "Bakgrund"
    live = content_of(start_draft(Q4, coordinator))
    assert [m["name"] for m in live["municipalities"]] == ["Borås stad", "Kungälv", "Lerum"]


def test_a_new_version_keeps_the_earlier_one_and_its_texts(db, coordinator):
    register()
    first = start_draft(Q4, coordinator)
    first.personnel = "Två personer"
    first.save()
    approve_report(first, coordinator)
    second = start_draft(Q4, coordinator)
    assert (second.version, second.state, second.personnel) == (2, "draft", "Två personer")
    assert start_draft(Q4, coordinator) == second  # one open draft per quarter
    assert StatusReport.objects.get(pk=first.pk).is_approved


def test_approving_twice_changes_nothing(db, coordinator):
    register()
    report = approve_report(start_draft(Q4, coordinator), coordinator)
    again = approve_report(report, coordinator)
    assert again.approved_at == report.approved_at
    assert AuditEntry.objects.filter(action="approve_statusreport").count() == 1


def test_approval_is_audited_with_who_and_why(db, coordinator):
    register()
    report = approve_report(start_draft(Q4, coordinator), coordinator, reason="Styrelsemöte 12 dec")
    entry = AuditEntry.objects.get(action="approve_statusreport", object_id=str(report.pk))
    assert (entry.username, entry.reason, entry.changes) == (
        "coordinator",
        "Styrelsemöte 12 dec",
        {"state": ["draft", "approved"]},
    )


@pytest.mark.django_db
def test_only_the_association_admin_may_approve_through_the_page(client, coordinator, economist):
    register()
    report = start_draft(Q4, coordinator)
    client.force_login(economist)
    assert client.post(f"/staff/insights/reports/v/{report.pk}/approve/").status_code == 403
    assert not StatusReport.objects.get(pk=report.pk).is_approved
    client.force_login(coordinator)
    response = client.post(f"/staff/insights/reports/v/{report.pk}/approve/", {"reason": "ok"})
    assert response.status_code == 302
    assert StatusReport.objects.get(pk=report.pk).is_approved


def test_an_approved_version_cannot_be_edited_in_the_staff_area(client, coordinator):
    register()
    report = approve_report(start_draft(Q4, coordinator), coordinator)
    client.force_login(coordinator)
    response = client.post(
        f"/staff/insights/statusreport/{report.pk}/change/", {"background": "ändrat"}
    )
    assert response.status_code == 403
    assert StatusReport.objects.get(pk=report.pk).background == ""


def test_open_a_quarter_from_the_list_then_edit_the_draft(client, coordinator):
    register()
    client.force_login(coordinator)
    listing = client.get("/staff/insights/statusreport/").content.decode()
    assert 'action="/staff/insights/reports/"' in listing
    assert (
        client.get("/staff/insights/reports/?quarter=2026q4")["Location"]
        == "/staff/insights/reports/2026Q4/"
    )
    assert (
        client.get("/staff/insights/reports/?quarter=tjugo")["Location"]
        == "/staff/insights/statusreport/"
    )
    preview = client.get("/staff/insights/reports/2026Q4/")
    assert preview.status_code == 200 and "Påbörja rapporten" in preview.content.decode()
    started = client.post("/staff/insights/reports/2026Q4/")
    draft = StatusReport.objects.get(year=2026, quarter=4)
    assert started["Location"] == f"/staff/insights/statusreport/{draft.pk}/change/"
    saved = client.post(
        f"/staff/insights/statusreport/{draft.pk}/change/",
        {"background": "Ny bakgrund", "events_note": "", "economy_note": "", "personnel": "Två"},
    )
    assert saved["Location"] == f"/staff/insights/reports/v/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.background, draft.personnel) == ("Ny bakgrund", "Två")
    entry = AuditEntry.objects.filter(model="statusreport", action="change").get()
    assert entry.changes["background"] == ["", "Ny bakgrund"]
