"""The second factor: a code from an authenticator app (TOTP), with recovery codes.

Built on django-otp: its TOTP device (`otp_totp`) is the app, its static device
(`otp_static`) holds the ten recovery codes, each usable once; its throttling slows down
wrong codes (1, 2, 4, 8... seconds after each failure) and its OTPMiddleware marks the
session that passed the second step (`request.user.is_verified()`). The views and this
module are ours, so sign-in, the lockout (django-axes) and password reset stay as they are.

Who must use it: CBP staff (specialists, supervisors, administrators) always; a partner's
users when the company officer turned it on, which the partners app answers through the
`second_factor_required` extension point (accounts does not import partners). Whoever has
set one up is asked for it at every sign-in, required or not.

`SecondFactorMiddleware` sends a signed-in person who must pass the second step, and has
not in this session, to set it up or to enter a code before any other page.
"""

import base64
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctpat.errors import DomainError
from ctpat.registry import registry

from . import audit
from .choices import CBP_STAFF, AuditEventType, Role
from .models import User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
# Recovery codes made by the last setup or renewal, kept in the session until shown once.
FRESH_CODES_SESSION_KEY = "mfa_fresh_recovery_codes"


# --- Reads ------------------------------------------------------------------------------


def required_for(user: User) -> bool:
    """Must this person use a second factor? Staff always; others when a contribution to
    `second_factor_required` (the partners app: their company officer turned it on) says so."""
    if user.role in CBP_STAFF:
        return True
    return any(check(user) for check in registry["second_factor_required"])


def app_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def pending_app_device(user: User) -> TOTPDevice:
    """The unconfirmed device the setup page shows: the same secret on every visit until
    the person confirms it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, as authenticator apps take it when typed, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code: an SVG image in a data: URI (the CSP
    allows data: images, and no inline style or script is needed)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def is_verified(request: HttpRequest) -> bool:
    """Did this session pass the second step (OTPMiddleware read it from the session)?"""
    user = request.user
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def needs_to_pass(request: HttpRequest) -> str | None:
    """Where a signed-in person must go before other pages: "setup", "verify" or None."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if has_second_factor(user):
        return "verify"
    if required_for(user):
        return "setup"
    return None


# --- Checking a code --------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    accepted: bool
    locked_until: datetime | None = None


def _check(device: Device, code: str) -> Check:
    """Verify `code` on `device`, locked against a concurrent check. A refusal is saved
    (django-otp's throttle counts it), so nothing here may raise inside the transaction."""
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, data = locked.verify_is_allowed()
        if not allowed:
            return Check(False, (data or {}).get("locked_until"))
        return Check(locked.verify_token(code))


def _refused(user: User, check: Check, *, reason: str) -> DomainError:
    audit.record(AuditEventType.MFA_FAILED, obj=user, actor=user, reason=reason)
    if check.locked_until is not None:
        seconds = max(1, int((check.locked_until - timezone.now()).total_seconds()) + 1)
        return DomainError(
            _("Too many wrong codes. Wait %(seconds)s seconds, then try again.")
            % {"seconds": seconds},
            field="code",
        )
    return DomainError(
        _("That code is not right. Check the time on your phone, or use a recovery code."),
        field="code",
    )


def normalize_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _pass(request: HttpRequest, device: Device) -> None:
    # A new session key for the session that now holds more trust (as at sign-in).
    request.session.cycle_key()
    otp_login(request, device)


# --- Writes -----------------------------------------------------------------------------


def second_factor_enroll(*, request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the app the person added with a code from it. Replaces any earlier app,
    makes fresh recovery codes (returned, to be shown once) and passes the second step."""
    user = cast(User, request.user)
    code = normalize_code(code)
    if device.user_id != user.pk or device.confirmed:
        raise DomainError(_("This setup has expired. Start again."), field="code")
    check = _check(device, code)
    if not check.accepted:
        raise _refused(user, check, reason="Setting up: the code from the new app was wrong.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True, name=APP_DEVICE_NAME)
        device.refresh_from_db()
        codes = _new_recovery_codes(user)
        audit.record(
            AuditEventType.MFA_ENROLLED,
            obj=user,
            actor=user,
            after={"device": APP_DEVICE_NAME, "recovery_codes": len(codes)},
        )
    _pass(request, device)
    return codes


def second_factor_verify(*, request: HttpRequest, code: str) -> Device:
    """The second step of signing in: a code from the app, or a recovery code (which then
    no longer works)."""
    user = cast(User, request.user)
    code = normalize_code(code)
    recovery = not (code.isdigit() and len(code) in (6, 8))
    device: Device | None
    if recovery:
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    else:
        device = app_device(user)
    if device is None:
        raise _refused(user, Check(False), reason="No such second factor set up.")
    check = _check(device, code)
    if not check.accepted:
        raise _refused(
            user, check, reason="A wrong recovery code." if recovery else "A wrong app code."
        )
    if recovery:
        audit.record(
            AuditEventType.MFA_RECOVERY_USED,
            obj=user,
            actor=user,
            after={"recovery_codes_left": recovery_codes_left(user)},
        )
    else:
        audit.record(AuditEventType.MFA_VERIFIED, obj=user, actor=user)
    _pass(request, device)
    return device


def _new_recovery_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()
        # All digits would read as an app code (second_factor_verify tells them apart so).
        if not code.isdigit() and code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new recovery codes; the earlier ones stop working."""
    if not has_second_factor(user):
        raise DomainError(_("Set up a second factor first."))
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        audit.record(
            AuditEventType.UPDATED,
            obj=user,
            actor=user,
            reason="New recovery codes made; the earlier ones no longer work.",
        )
    return codes


def _delete_devices(user: User) -> int:
    deleted = 0
    for model in (TOTPDevice, StaticDevice):
        deleted += model.objects.filter(user=user).delete()[0]
    return deleted


def second_factor_reset(*, actor: User, user: User, reason: str) -> None:
    """An administrator removes a person's second factor (a lost phone, say); the person
    sets it up again at their next sign-in, and sessions that passed it with the old one
    must pass it again."""
    if actor.role != Role.ADMINISTRATOR or not actor.is_active:
        raise DomainError(_("Only administrators may reset a second factor."))
    if not reason.strip():
        raise DomainError(_("Say why the second factor is reset."), field="reason")
    with transaction.atomic():
        had = has_second_factor(user)
        _delete_devices(user)
        audit.record(
            AuditEventType.MFA_RESET,
            obj=user,
            actor=actor,
            before={"second_factor": had},
            after={"second_factor": False},
            reason=reason.strip(),
        )


def second_factor_remove(*, user: User) -> None:
    """A person who is not required to use a second factor turns theirs off."""
    if required_for(user):
        raise DomainError(_("Your account must use a second factor; it cannot be turned off."))
    with transaction.atomic():
        _delete_devices(user)
        audit.record(
            AuditEventType.MFA_RESET,
            obj=user,
            actor=user,
            before={"second_factor": True},
            after={"second_factor": False},
            reason="Turned off by the person.",
        )


# --- The gate ---------------------------------------------------------------------------


def _open_paths() -> tuple[str, ...]:
    """Paths a person may open before passing the second step."""
    return (
        reverse("mfa_setup"),
        reverse("mfa_verify"),
        reverse("mfa_recovery_codes"),
        reverse("logout"),
        reverse("healthz"),
        "/favicon.ico",
        "/" + settings.STATIC_URL.lstrip("/"),
    )


class SecondFactorMiddleware:
    """Before any page, a person who must pass the second factor and has not in this
    session goes to set it up (no app yet) or to enter a code. Placed after
    AuthenticationMiddleware and django-otp's OTPMiddleware; the Django admin is covered
    like every other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Kept on the request for the layout, which shows no navigation until it is passed.
        request.second_factor_step = step = needs_to_pass(request)
        if step is not None and not request.path.startswith(_open_paths()):
            return _send_to(request, reverse(f"mfa_{step}"))
        return self.get_response(request)


def _send_to(request: HttpRequest, url: str) -> HttpResponse:
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # htmx would swap the page into a fragment: make the browser go there instead.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)
