"""Writes about people's accounts: sessions, and accounts left unused."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ctpat import outbox

from . import audit
from .choices import AuditEventType
from .models import User

DISABLE_UNUSED_SYSTEM = "accounts.disable_unused"


def user_sign_out_everywhere(*, user: User) -> None:
    """End every session of `user`, the current one included.

    The session generation is part of the hash each session carries
    (User.get_session_auth_hash); raising it makes every existing session fail Django's
    check on its next request. The caller signs the current request out."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit.record(AuditEventType.SIGNED_OUT_EVERYWHERE, obj=user, actor=user)


def user_reenable(*, user: User, when: datetime | None = None) -> None:
    """Note that an administrator enabled `user` again (the caller saves): it counts as use,
    so the account has its full ACCOUNT_UNUSED_DAYS before it is disabled again."""
    user.reenabled_at = when or timezone.now()
    user.unused_notice_sent_at = None


def unused_disable_on(user: User, *, now: datetime) -> datetime:
    """When an unused account that is sent its notice `now` will be disabled."""
    last_use = max(filter(None, [user.last_login, user.reenabled_at, user.date_joined]))
    return max(
        last_use + timedelta(days=settings.ACCOUNT_UNUSED_DAYS),
        now + timedelta(days=settings.ACCOUNT_UNUSED_NOTICE_DAYS),
    )


def users_disable_unused(*, now: datetime | None = None) -> dict[str, int]:
    """Send the notice to accounts nearly unused for ACCOUNT_UNUSED_DAYS, and disable those
    unused that long whose notice went at least ACCOUNT_UNUSED_NOTICE_DAYS ago (NIST 800-53
    AC-2(3)). Run nightly by beat; running it twice does nothing more.

    An account is disabled only after its notice has had its days: if the task did not run
    for a while, or the rule just began, people still hear first. Each notice is claimed
    with a compare-and-swap on `unused_notice_sent_at`, so it goes once; signing in clears
    it. Disabling saves `is_active` inside `audit.because(...)`: the audit log's receiver
    for account saves records the change with that reason.
    """
    now = now or timezone.now()
    unused_days = settings.ACCOUNT_UNUSED_DAYS
    notice_days = settings.ACCOUNT_UNUSED_NOTICE_DAYS
    # Last use: the latest of the last sign-in and the re-enabling, or when the account was
    # made if neither happened.
    active = User.objects.filter(is_active=True).annotate(
        last_use=Greatest(
            Coalesce("last_login", "date_joined"), Coalesce("reenabled_at", "date_joined")
        )
    )
    noticed = 0
    for user in active.filter(
        last_use__lte=now - timedelta(days=unused_days - notice_days),
        unused_notice_sent_at__isnull=True,
    ):
        with transaction.atomic():
            claimed = User.objects.filter(
                pk=user.pk, is_active=True, unused_notice_sent_at__isnull=True
            ).update(unused_notice_sent_at=now)
            if claimed:
                _send_unused_notice(user, disable_on=unused_disable_on(user, now=now))
                noticed += 1
    disabled = 0
    reason = _(
        "Not used for %(days)s days: disabled automatically, %(notice)s days after the "
        "notice by email."
    ) % {"days": unused_days, "notice": notice_days}
    due = active.filter(
        last_use__lte=now - timedelta(days=unused_days),
        unused_notice_sent_at__lte=now - timedelta(days=notice_days),
    ).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic(), audit.acting_as(system=DISABLE_UNUSED_SYSTEM):
            locked = User.objects.select_for_update().filter(pk=pk, is_active=True).first()
            # Signed in (or enabled again) since the query: the notice was cleared.
            if locked is None or locked.unused_notice_sent_at is None:
                continue
            with audit.because(reason):
                locked.is_active = False
                locked.save(update_fields=["is_active"])
            disabled += 1
    return {"noticed": noticed, "disabled": disabled}


def _send_unused_notice(user: User, *, disable_on: datetime) -> None:
    context = {
        "user": user,
        "disable_on": disable_on,
        "days": settings.ACCOUNT_UNUSED_DAYS,
        "link": settings.SITE_URL.rstrip("/") + reverse("login"),
    }
    template = "accounts/email/unused_notice"
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    outbox.enqueue(
        "notifications.send_email",
        to=[user.email],
        subject=subject,
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
    )
