from django import forms
from django.contrib import admin, messages
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from bibblix.members.models import Organisation
from bibblix.members.scoping import MunicipalityScopedAdmin

from . import data_requests, services
from .hashing import card_hash
from .models import LocalCard, LoginProvider, Patron


class AddWithChangePermission:
    """Setting up a library's login (its provider, cards in its local register) is a change to
    the library's set-up: staff who may change these rows may add them. The role table in
    members grants patrons "view"/"change" only; see the patrons issue note."""

    def has_add_permission(self, request):
        return self.has_change_permission(request)


@admin.register(Patron)
class PatronAdmin(MunicipalityScopedAdmin):
    list_display = ["__str__", "municipality", "library", "created_at", "last_active_at"]
    list_filter = ["municipality"]
    readonly_fields = ["public_id", "municipality", "library", "created_at", "last_active_at"]
    fields = readonly_fields + ["preferences"]
    change_list_template = "admin/patrons/patron/change_list.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        return [
            path(
                "data-request/",
                self.admin_site.admin_view(self.data_request_view),
                name="patrons_patron_data_request",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_handle_data_requests": request.user.has_perm(data_requests.PERMISSION)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def data_request_view(self, request):
        """Export (JSON) or erase everything about one library card, on a guardian's request."""
        if not request.user.has_perm(data_requests.PERMISSION):
            raise PermissionDenied
        form = DataRequestForm(request.POST or None)
        if form.is_valid():
            data = form.cleaned_data
            patron = data_requests.find_patron(data["municipality"], data["card"])
            if patron is None:
                form.add_error("card", _("No child has logged in with this card here."))
            elif "export" in request.POST:
                body = data_requests.export_data(patron, request.user, data["reason"])
                response = JsonResponse(
                    body, json_dumps_params={"ensure_ascii": False, "indent": 2}
                )
                response["Content-Disposition"] = 'attachment; filename="bibblix-data.json"'
                return response
            elif "delete" in request.POST and data["confirm_delete"]:
                data_requests.delete_data(patron, request.user, data["reason"])
                self.message_user(request, _("All data of the card is deleted."), messages.SUCCESS)
                return redirect("admin:patrons_patron_changelist")
            else:
                form.add_error("confirm_delete", _("Tick the box to delete."))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Data request for a library card"),
            "form": form,
        }
        return TemplateResponse(request, "admin/patrons/patron/data_request.html", context)


class DataRequestForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("municipality"), queryset=Organisation.objects.exclude(municipality_code="")
    )
    card = forms.CharField(
        label=_("Library card number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Hashed like at login; neither stored nor written to the audit trail."),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("E.g. the guardian's request and its date.")
    )
    confirm_delete = forms.BooleanField(
        label=_("Yes, delete everything about this card"), required=False
    )


class LocalCardForm(forms.ModelForm):
    """Card number and PIN are typed in and hashed: neither is stored nor shown again."""

    card = forms.CharField(label=_("Library card number"), max_length=32, required=False)
    pin = forms.CharField(
        label=_("PIN"),
        max_length=16,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the PIN."),
    )

    class Meta:
        model = LocalCard
        fields = ["library", "is_blocked", "is_child"]

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk and not (cleaned.get("card") and cleaned.get("pin")):
            raise forms.ValidationError(_("A new card needs a card number and a PIN."))
        library = cleaned.get("library")
        if library and cleaned.get("card"):
            hashed = card_hash(library.municipality.municipality_code, cleaned["card"])
            taken = LocalCard.objects.filter(library=library, card_hash=hashed)
            if taken.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(_("That card is already in the register."))
            self.instance.card_hash = hashed
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("pin"):
            self.instance.pin_hash = make_password(self.cleaned_data["pin"])
        return super().save(commit=commit)


@admin.register(LocalCard)
class LocalCardAdmin(AddWithChangePermission, MunicipalityScopedAdmin):
    municipality_field = "library__municipality"
    form = LocalCardForm
    fields = ["library", "card", "pin", "is_blocked", "is_child"]
    list_display = ["__str__", "library", "is_blocked", "is_child", "created_at"]
    list_filter = ["is_blocked", "is_child"]


SECRET_FIELDS = ("sc_password", "terminal_password")


def _secret_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=100,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("A secret. Leave empty to keep the stored password."),
    )


class LoginProviderForm(forms.ModelForm):
    # The secrets are never sent back to the browser; empty keeps the stored one.
    sc_password = _secret_field(_("SIP password"))
    terminal_password = _secret_field(_("terminal password (AC)"))

    class Meta:
        model = LoginProvider
        exclude: list[str] = []

    def _kept(self, name: str) -> str:
        return self.cleaned_data.get(name) or (
            getattr(self.instance, name) if self.instance.pk else ""
        )

    def clean_sc_password(self) -> str:
        return self._kept("sc_password")

    def clean_terminal_password(self) -> str:
        return self._kept("terminal_password")


def _secret_state(value: str) -> str:
    return str(_("set (not shown)") if value else _("not set"))


def _without_secrets(fields: list) -> list:
    def swap(name: str) -> str:
        return f"{name}_state" if name in SECRET_FIELDS else name

    return [tuple(map(swap, f)) if isinstance(f, tuple) else swap(f) for f in fields]


@admin.register(LoginProvider)
class LoginProviderAdmin(AddWithChangePermission, MunicipalityScopedAdmin):
    """Staff set how each library checks cards, and try it with "Test connection"."""

    municipality_field = "library__municipality"
    form = LoginProviderForm
    list_display = ["library", "kind", "host", "port", "use_tls", "updated_at"]
    list_filter = ["kind"]
    actions = ["test_connection"]
    fieldsets = [
        (None, {"fields": ["library", "kind"]}),
        (
            _("Library system (SIP2)"),
            {
                "fields": [
                    ("host", "port"),
                    ("use_tls", "verify_tls"),
                    ("sc_user", "sc_password"),
                    ("institution_id", "location_code", "terminal_password"),
                    ("message", "encoding", "error_detection"),
                    ("timeout_seconds", "pool_size"),
                ]
            },
        ),
        (
            _("Children's cards only"),
            {
                "fields": [
                    ("allowed_patron_classes", "patron_class_field"),
                    ("max_age", "birth_date_field"),
                ]
            },
        ),
        (
            _("Card and PIN format"),
            {
                "fields": [
                    ("card_characters", "card_min_length", "card_max_length"),
                    ("pin_characters", "pin_min_length", "pin_max_length"),
                ]
            },
        ),
    ]

    # Shown in place of the secrets to staff who may only view: Django would otherwise render
    # read-only fields straight from the model, secrets included.
    readonly_fields = ["sc_password_state", "terminal_password_state"]
    change_form_template = "admin/patrons/loginprovider/change_form.html"

    @admin.display(description=_("SIP password"))
    def sc_password_state(self, provider: LoginProvider) -> str:
        return _secret_state(provider.sc_password)

    @admin.display(description=_("terminal password (AC)"))
    def terminal_password_state(self, provider: LoginProvider) -> str:
        return _secret_state(provider.terminal_password)

    def get_fieldsets(self, request, obj=None):
        """The secrets as password inputs for staff who may change the row, else only whether
        they are set."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": _without_secrets(options["fields"])})
            for name, options in fieldsets
        ]

    @admin.action(description=_("Test connection"), permissions=["change"])
    def test_connection(self, request, queryset):
        for provider in queryset.select_related("library"):
            self._report(request, provider)

    def _report(self, request, provider: LoginProvider) -> None:
        report = services.check_connection(provider)
        if not report.ok:
            # One text for every failure: which one (refused, timed out, garbled) and how long
            # it took would let the form probe other machines' ports. Details are in the log.
            self.message_user(
                request,
                _(
                    "%(library)s: %(result)s. Check host, port, TLS and the SIP account, or ask "
                    "the library system's vendor; the technical details are in the server log."
                )
                % {"library": provider.library, "result": _("connection failed")},
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            _("%(library)s: %(result)s – %(detail)s (%(ms)d ms)")
            % {
                "library": provider.library,
                "result": _("connection works"),
                "detail": _("online") if report.detail == "online" else report.detail,
                "ms": report.elapsed_ms,
            },
            messages.SUCCESS,
        )

    def get_urls(self):
        test_url = path(
            "<path:object_id>/test-connection/",
            self.admin_site.admin_view(self.test_connection_view),
            name="patrons_loginprovider_test_connection",
        )
        return [test_url, *super().get_urls()]

    def test_connection_view(self, request, object_id):
        """The "Test connection" button on a provider's page (POST, scoped like the page, for
        staff who may change the provider: it makes the server connect somewhere)."""
        provider = self.get_object(request, object_id)
        if request.method != "POST" or provider is None:
            raise Http404
        if not self.has_change_permission(request, provider):
            raise PermissionDenied
        self._report(request, provider)
        return redirect("admin:patrons_loginprovider_change", provider.pk)
