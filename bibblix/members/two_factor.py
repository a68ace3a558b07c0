"""Two-factor login (TOTP, django-otp) for the staff roles that can change every municipality's
data or money: the association's administrators and economy. Required in production; the
setting STAFF_TWO_FACTOR turns it on elsewhere (off by default in the embedded mode and tests).

After the password, such a user without a confirmed device is sent to enrol (a QR code and the
key as text for an authenticator app, then one code to confirm), and one with a device is asked
for a code before any staff page opens.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import StaffProfile

ROLES_NEEDING_TWO_FACTOR = {StaffProfile.Role.ASSOCIATION_ADMIN, StaffProfile.Role.ECONOMY}
DEVICE_NAME = "authenticator"


def needs_two_factor(user) -> bool:
    """Whether `user` must confirm a TOTP code before staff pages open."""
    if not settings.STAFF_TWO_FACTOR or not user.is_authenticated:
        return False
    profile = getattr(user, "staff_profile", None)
    return user.is_superuser or (profile is not None and profile.role in ROLES_NEEDING_TWO_FACTOR)


class TwoFactorMiddleware:
    """Keeps an unverified user of a two-factor role out of /staff/ (after OTPMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/staff/")
            and not request.path.startswith(("/staff/two-factor/", "/staff/logout/"))
            and needs_two_factor(request.user)
            and not request.user.is_verified()
        ):
            name = "setup" if not user_has_device(request.user) else "verify"
            return redirect(reverse(f"two_factor:{name}"))
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Code from the app"),
        regex=r"^\s*\d{6}\s*$",
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"invalid": _("Write the six digits the app shows.")},
    )


def _page(request, template, **context):
    from django.contrib import admin

    return TemplateResponse(request, template, {**admin.site.each_context(request), **context})


@login_required(login_url="admin:login")
def setup(request):
    """Enrol an authenticator app: QR code and key, then one code confirms the device."""
    if user_has_device(request.user):
        return redirect("two_factor:verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": DEVICE_NAME}
    )
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _record(request.user, device)
            otp_login(request, device)
            return redirect("admin:index")
        form.add_error("code", _("The code did not match. Try the newest code."))
    qr = segno.make(device.config_url, error="m")
    return _page(
        request,
        "members/two_factor_setup.html",
        title=_("Turn on two-step login"),
        form=form,
        qr_data_uri=qr.svg_data_uri(scale=5, dark="#000", light="#fff"),
        key=_grouped(device.bin_key),
    )


@login_required(login_url="admin:login")
def verify(request):
    """Ask for the app's code after the password."""
    if not user_has_device(request.user):
        return redirect("two_factor:setup")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(request.GET.get("next") or "admin:index")
        form.add_error("code", _("The code did not match. Try the newest code."))
    return _page(request, "members/two_factor_verify.html", title=_("Two-step login"), form=form)


def _grouped(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _record(user, device) -> None:
    from bibblix.audit.services import record_change

    record_change(user, "two-factor enrolled", device, {"confirmed": [False, True]})


app_name = "two_factor"
urlpatterns = [
    path("setup/", setup, name="setup"),
    path("verify/", verify, name="verify"),
]
