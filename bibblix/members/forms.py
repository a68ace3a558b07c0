"""Forms of the staff screens: one small form per lifecycle step, and the register import."""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from . import services

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StepForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason / note"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, day_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if day_label:
            self.fields["day"].label = day_label

    def apply(self, verb: str, member, user):
        data = self.cleaned_data
        return getattr(services, verb)(member, data["day"], data["reason"], user)


class TerminationForm(forms.Form):
    notice_date = forms.DateField(label=_("Notice received"), widget=DATE_WIDGET)
    notice_months = forms.IntegerField(
        label=_("Notice period (months)"), required=False, min_value=0, max_value=60
    )
    end_date = forms.DateField(
        label=_("End date (first day without the service)"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Leave empty to count the notice period from the notice date."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, day_label=None, **kwargs):
        super().__init__(*args, **kwargs)

    def apply(self, verb: str, member, user):
        data = self.cleaned_data
        return services.register_termination(
            member,
            data["notice_date"],
            end_date=data["end_date"],
            notice_months=data["notice_months"],
            reason=data["reason"],
            user=user,
        )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, day_label=None, **kwargs):
        super().__init__(*args, **kwargs)

    def apply(self, verb: str, member, user):
        return getattr(services, verb)(member, self.cleaned_data["reason"], user)


@dataclass(frozen=True)
class Step:
    label: str
    form: type
    day_label: str | None = None


STEPS: dict[str, Step] = {
    "register_enquiry": Step(_("Register enquiry"), StepForm, _("Enquiry received")),
    "register_application": Step(_("Register application"), StepForm, _("Application received")),
    "sign_agreement": Step(_("Agreement signed"), StepForm, _("Signed on")),
    "connect": Step(_("Connect (go-live)"), StepForm, _("Go-live date")),
    "register_termination": Step(_("Register notice of termination"), TerminationForm),
    "end_connection": Step(
        _("End the connection"), StepForm, _("End date (first day without the service)")
    ),
    "withdraw_termination": Step(_("Withdraw the notice of termination"), ReasonForm),
    "reconnect": Step(_("Connect again"), StepForm, _("Go-live date")),
    "cancel_planned_step": Step(_("Cancel the planned step"), ReasonForm),
}


def step_form(verb: str, data=None):
    """The form for lifecycle step `verb`, bound to `data` if given; its id prefix is the verb."""
    step = STEPS[verb]
    return step.form(data, prefix=verb, day_label=step.day_label)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("Columns as in the export; see docs/members.md."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
