"""Sign-in events into the audit log, and what a sign-in starts (connected in apps.py).

Django's sign-in signals fire for every way in: the sign-in page, the admin's, an accepted
invitation, a test's force_login. django-axes's `user_locked_out` fires when an account
(or, for unknown addresses, a client address) reaches the failure limit, and again for
every attempt refused while locked; the lockout is recorded once, when it begins, and
each refused attempt as a failed sign-in.
"""

import hashlib

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit, limits, sessions
from .access import account_of_axes_key
from .choices import AuditEventType
from .models import User


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    sessions.note_sign_in(request)
    if user.unused_notice_sent_at is not None:
        # Used again: a later unused spell gets its own notice.
        User.objects.filter(pk=user.pk).update(unused_notice_sent_at=None)
        user.unused_notice_sent_at = None
    audit.record(AuditEventType.SIGN_IN, obj=user, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="accounts.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is None or getattr(request, sessions.SIGN_OUT_RECORDED, False):
        return
    audit.record(AuditEventType.SIGN_OUT, obj=user, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the address is read: Django masks the password, and it is never recorded.
    address = str((credentials or {}).get("username") or "")
    user = User.objects.with_address(address).first() if address else None
    if user is None and request is not None:
        limits.unknown_address_failed(request)
    audit.record(
        AuditEventType.SIGN_IN_FAILED,
        obj=user,
        actor=user,
        request=request,
        object_repr="" if user else typed_address(address),
        after={"locked": bool(getattr(request, "axes_locked_out", False))},
    )


@receiver(user_locked_out, dispatch_uid="accounts.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    failures = getattr(request, "axes_failures_since_start", None)
    if failures != get_failure_limit(request, getattr(request, "axes_credentials", None)):
        return  # an attempt refused while already locked: recorded as a failed sign-in
    pk = account_of_axes_key(username)
    user = User.objects.filter(pk=pk).first() if pk is not None else None
    audit.record(
        AuditEventType.LOCKED_OUT,
        obj=user,
        actor=user,
        request=request,
        object_repr="" if user else username,
        after={"failures": failures},
    )


def typed_address(text: str) -> str:
    """What was typed as the address, for the log: kept when it looks like an address, else
    a digest, so a password typed into the address box by mistake is never kept."""
    if "@" in text and " " not in text.strip() and len(text) <= 254:
        return text
    return "not an address (sha256 " + hashlib.sha256(text.encode()).hexdigest()[:12] + ")"
