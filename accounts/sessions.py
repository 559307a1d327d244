"""The absolute session limit: a session ends SESSION_ABSOLUTE_HOURS after sign-in.

The idle timeout (SESSION_COOKIE_AGE, pushed forward by every request) ends a session
left alone; this ends one in use, so a stolen or forgotten session cannot be kept alive
forever (NIST 800-53 AC-12). The sign-in time is written into the session when the person
signs in (accounts.signals); a session without one is treated as past its limit.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .choices import AuditEventType

SIGNED_IN_AT = "accounts.signed_in_at"
# Set on a request whose sign-out is recorded as something more specific than "signed out".
SIGN_OUT_RECORDED = "_accounts_sign_out_recorded"


def note_sign_in(request: HttpRequest) -> None:
    request.session[SIGNED_IN_AT] = timezone.now().timestamp()


def past_limit(request: HttpRequest) -> bool:
    signed_in_at = request.session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return True
    age = timezone.now().timestamp() - signed_in_at
    return age >= settings.SESSION_ABSOLUTE_HOURS * 3600


def sign_out(request: HttpRequest) -> None:
    """Sign the person out after the caller recorded why, without a "signed out" record."""
    setattr(request, SIGN_OUT_RECORDED, True)
    logout(request)


class SessionLimitMiddleware:
    """Signs out a session past its absolute limit, and sends the person to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and past_limit(request):
            audit.record(AuditEventType.SESSION_EXPIRED, obj=request.user, actor=request.user)
            sign_out(request)
            messages.info(
                request,
                _(
                    "For security, a session ends %(hours)s hours after signing in. "
                    "Please sign in again."
                )
                % {"hours": settings.SESSION_ABSOLUTE_HOURS},
            )
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
