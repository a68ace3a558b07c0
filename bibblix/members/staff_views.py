"""Staff screens of the register that the plain admin does not give: a member's page (history
timeline, contacts, libraries, memberships, invoices, lifecycle actions), import and export.
They are mounted by OrganisationAdmin.get_urls under /staff/members/organisation/."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import register_io, services
from .forms import STEPS, ImportForm, step_form
from .lifecycle import pending_end
from .models import ConnectionEvent, Organisation


def can_manage(user) -> bool:
    """Lifecycle steps and imports are the association's work, not a municipality's."""
    return not services.is_limited_staff(user) and user.has_perm("members.add_connectionevent")


def member_page(model_admin, request, object_id, forms=None):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    member = services.get_member_for_staff(request.user, object_id)
    today = services.today()
    state = services.state_on(member, today)
    manage = can_manage(request.user)
    actions = services.legal_actions(member) if manage else []
    forms = forms or {}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Organisation._meta,
        "title": member.name,
        "member": member,
        "today": today,
        "state_today_label": ConnectionEvent.State(state).label if state else None,
        "membership": services.membership_on(member, today),
        "route": services.describe_route(services.membership_on(member, today)),
        "timeline": _timeline(member, today),
        "pending_end": pending_end(member),
        "memberships": member.memberships.select_related("group").order_by("start_date"),
        "contacts": member.contacts.order_by("-is_active", "role", "name"),
        "libraries": member.libraries.order_by("name"),
        "group_members": _group_members(request.user, member),
        "can_manage": manage,
        "can_change": model_admin.has_change_permission(request, member),
        "steps": [
            (verb, STEPS[verb].label, forms.get(verb) or step_form(verb)) for verb in actions
        ],
    }
    return TemplateResponse(request, "members/admin/member_page.html", context)


def _timeline(member: Organisation, today) -> list[dict]:
    events = member.connection_events.select_related("recorded_by", "cancelled_by").order_by(
        "effective_date", "recorded_at", "pk"
    )
    return [
        {
            "event": event,
            "is_future": event.effective_date > today,
            "is_cancelled": event.cancelled_at is not None,
        }
        for event in events
    ]


def _group_members(user, member: Organisation):
    if member.kind != Organisation.Kind.REGION:
        return []
    ids = services.group_member_ids(member)
    return services.scope_for_staff(user, Organisation.objects.filter(pk__in=ids), "pk")


def do_step(model_admin, request, object_id, verb):
    member = services.get_member_for_staff(request.user, object_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not can_manage(request.user):
        raise PermissionDenied
    if verb not in STEPS or verb not in services.legal_actions(member):
        messages.error(request, _("That step is not possible for %(name)s now.") % {"name": member})
        return redirect(_page_url(member))
    form = step_form(verb, request.POST)
    if form.is_valid():
        try:
            form.apply(verb, member, request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _("%(step)s: saved.") % {"step": STEPS[verb].label})
            return redirect(_page_url(member))
    response = member_page(model_admin, request, object_id, forms={verb: form})
    response.status_code = 400
    return response


def _page_url(member: Organisation) -> str:
    return reverse("admin:members_organisation_member", args=[member.pk])


def export_register(model_admin, request, file_format):
    if not model_admin.has_view_permission(request) or file_format not in {"csv", "xlsx"}:
        raise PermissionDenied
    organisations = model_admin.get_queryset(request).filter(kind=Organisation.Kind.MUNICIPALITY)
    stamp = services.today().isoformat()
    if file_format == "xlsx":
        response = HttpResponse(
            register_io.export_xlsx(organisations),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(
            register_io.export_csv(organisations), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="medlemsregister-{stamp}.{file_format}"'
    )
    return response


def import_register(model_admin, request):
    if not can_manage(request.user):
        raise PermissionDenied
    report = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = register_io.import_register(register_io.read_rows(upload.name, upload.read()))
        if report.ok:
            messages.success(request, _("The register was imported without errors."))
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": Organisation._meta,
        "title": _("Import the member register"),
        "form": form,
        "report": report,
        "columns": register_io.REQUIRED,
        "optional_columns": register_io.OPTIONAL,
    }
    return TemplateResponse(request, "members/admin/import.html", context)
