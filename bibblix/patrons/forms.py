from django import forms
from django.utils.translation import gettext_lazy as _


class CardLoginForm(forms.Form):
    library = forms.TypedChoiceField(label=_("Library"), coerce=int)
    card = forms.CharField(
        label=_("Library card number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "username", "autocapitalize": "off"}
        ),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=16,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "current-password"}
        ),
    )

    def __init__(self, *args, libraries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].choices = [(library.pk, str(library)) for library in libraries]
