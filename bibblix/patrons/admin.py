from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from bibblix.members.scoping import MunicipalityScopedAdmin

from . import services
from .models import LocalCard, LoginProvider, Patron


@admin.register(Patron)
class PatronAdmin(MunicipalityScopedAdmin):
    list_display = ["__str__", "municipality", "library", "created_at", "last_active_at"]
    list_filter = ["municipality"]
    readonly_fields = ["public_id", "municipality", "library", "created_at", "last_active_at"]
    fields = readonly_fields + ["preferences"]

    def has_add_permission(self, request):
        return False


@admin.register(LocalCard)
class LocalCardAdmin(MunicipalityScopedAdmin):
    municipality_field = "library__municipality"
    list_display = ["__str__", "library", "is_blocked", "is_child", "created_at"]
    list_filter = ["is_blocked", "is_child"]


class LoginProviderForm(forms.ModelForm):
    # The SIP password is never sent back to the browser; empty keeps the stored one.
    sc_password = forms.CharField(
        label=_("SIP password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("A secret. Leave empty to keep the stored password."),
    )

    class Meta:
        model = LoginProvider
        exclude: list[str] = []

    def clean_sc_password(self) -> str:
        return self.cleaned_data.get("sc_password") or (
            self.instance.sc_password if self.instance.pk else ""
        )


@admin.register(LoginProvider)
class LoginProviderAdmin(MunicipalityScopedAdmin):
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
    ]

    @admin.action(description=_("Test connection"))
    def test_connection(self, request, queryset):
        for provider in queryset.select_related("library"):
            report = services.check_connection(provider)
            level = messages.SUCCESS if report.ok else messages.ERROR
            self.message_user(
                request,
                _("%(library)s: %(result)s – %(detail)s (%(ms)d ms)")
                % {
                    "library": provider.library,
                    "result": _("connection works") if report.ok else _("connection failed"),
                    "detail": report.detail,
                    "ms": report.elapsed_ms,
                },
                level,
            )
