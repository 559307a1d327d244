"""Accounts unused for ACCOUNT_UNUSED_DAYS are disabled nightly, after one notice by email."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.choices import AuditEventType
from accounts.models import AuditEvent, User
from accounts.tasks import disable_unused
from ctpat.models import OutboxMessage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

DAYS = settings.ACCOUNT_UNUSED_DAYS
NOTICE = settings.ACCOUNT_UNUSED_NOTICE_DAYS


def unused_for(days, **kwargs):
    when = timezone.now() - timedelta(days=days)
    return UserFactory(last_login=when, date_joined=when - timedelta(days=1), **kwargs)


def notices():
    return OutboxMessage.objects.filter(task="notifications.send_email")


def test_the_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["disable-unused-accounts"]
    assert entry["task"] == "accounts.disable_unused"
    assert entry["schedule"] == timedelta(days=1)


def test_a_notice_goes_once_to_an_account_nearly_unused_for_the_limit():
    user = unused_for(DAYS - NOTICE + 1)
    recent = unused_for(DAYS - NOTICE - 1)
    assert disable_unused.delay().get() == {"noticed": 1, "disabled": 0}
    assert disable_unused.delay().get() == {"noticed": 0, "disabled": 0}
    (message,) = notices()
    assert message.kwargs["to"] == [user.email]
    assert "will be disabled" in message.kwargs["subject"]
    assert "/accounts/login/" in message.kwargs["text"]
    user.refresh_from_db()
    recent.refresh_from_db()
    assert user.unused_notice_sent_at is not None and user.is_active
    assert recent.unused_notice_sent_at is None


def test_an_account_never_signed_in_counts_from_when_it_was_made():
    user = UserFactory(date_joined=timezone.now() - timedelta(days=DAYS - NOTICE + 1))
    services.users_disable_unused()
    assert notices().get().kwargs["to"] == [user.email]


def test_an_unused_account_is_disabled_once_its_notice_has_had_its_days():
    user = unused_for(DAYS + 30)
    now = timezone.now()
    assert services.users_disable_unused(now=now) == {"noticed": 1, "disabled": 0}
    # Not before the notice's days are over, even long past the limit.
    later = now + timedelta(days=NOTICE - 1)
    assert services.users_disable_unused(now=later) == {"noticed": 0, "disabled": 0}
    done = now + timedelta(days=NOTICE)
    assert services.users_disable_unused(now=done) == {"noticed": 0, "disabled": 1}
    user.refresh_from_db()
    assert not user.is_active
    # The audit log's receiver for account saves records it, with the task's reason.
    event = AuditEvent.objects.get(event=AuditEventType.ACCOUNT_DISABLED, object_id=str(user.pk))
    assert event.actor_label == "system: accounts.disable_unused" and "90 days" in event.reason


def test_signing_in_clears_the_notice_and_the_clock(client):
    user = unused_for(DAYS - NOTICE + 1)
    services.users_disable_unused()
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.unused_notice_sent_at is None
    later = timezone.now() + timedelta(days=NOTICE + 1)
    assert services.users_disable_unused(now=later) == {"noticed": 0, "disabled": 0}


def test_enabling_again_in_the_admin_asks_why_and_resets_the_clock(client):
    admin = UserFactory(administrator=True)
    user = unused_for(DAYS + 30, partner=True)
    now = timezone.now()
    services.users_disable_unused(now=now - timedelta(days=NOTICE))
    services.users_disable_unused(now=now)
    user.refresh_from_db()
    assert not user.is_active

    client.force_login(admin)
    url = reverse("admin:accounts_user_change", args=[user.pk])
    form = {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "field_office": "",
        "is_active": "on",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "Reason for this change" in refused.content.decode()
    user.refresh_from_db()
    assert not user.is_active

    assert client.post(url, {**form, "reason": "Back from leave, ticket 42"}).status_code == 302
    user.refresh_from_db()
    assert user.is_active and user.reenabled_at is not None
    assert user.unused_notice_sent_at is None
    assert services.users_disable_unused() == {"noticed": 0, "disabled": 0}
    assert User.objects.get(pk=user.pk).is_active
