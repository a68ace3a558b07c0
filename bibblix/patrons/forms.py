from django import forms
from django.utils.translation import gettext_lazy as _


class CardLoginForm(forms.Form):
    library = forms.TypedChoiceField(label=_("Your library"), coerce=int)
    card = forms.CharField(
        label=_("Library card number"),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "username",
                "autocapitalize": "off",
                "autocorrect": "off",
                "spellcheck": "false",
                "class": "big-input",
                "aria-describedby": "card-hint",
            }
        ),
    )
    pin = forms.CharField(
        label=_("PIN"),
        max_length=16,
        strip=False,
        widget=forms.PasswordInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "current-password",
                "class": "big-input",
            }
        ),
    )
    error_messages = {"required": _("Fill in this too.")}

    def __init__(self, *args, libraries=(), **kwargs):
        super().__init__(*args, **kwargs)
        libraries = list(libraries)
        self.fields["library"].choices = [(library.pk, str(library)) for library in libraries]
        if len(libraries) == 1:
            # One library: nothing to choose, so nothing to show.
            self.fields["library"].widget = forms.HiddenInput()
            self.initial["library"] = libraries[0].pk
        for field in self.fields.values():
            field.error_messages["required"] = self.error_messages["required"]
