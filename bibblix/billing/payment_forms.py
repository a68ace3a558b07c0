from django import forms
from django.utils.translation import gettext_lazy as _

MAX_BGMAX_BYTES = 10 * 1024 * 1024


class BgMaxUploadForm(forms.Form):
    file = forms.FileField(
        label=_("BgMax file"),
        help_text=_("The file of incoming payments from Bankgirot (Bankgiro Inbetalningar)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BGMAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class MatchPaymentForm(forms.Form):
    invoice_number = forms.CharField(label=_("Invoice number"), max_length=30)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 30}),
        help_text=_("Why the payment belongs to this invoice; kept in the audit trail."),
    )
