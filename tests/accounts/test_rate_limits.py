"""Per-IP limits on the forms anyone may post (django-ratelimit, in the shared cache)."""

import re

import pytest
from django.urls import reverse

from accounts.choices import AuditEventType
from accounts.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def post(client, url, data, ip="198.51.100.1"):
    return client.post(url, data, REMOTE_ADDR=ip)


def test_sign_in_posts_beyond_the_rate_get_a_readable_429_and_an_audit_record(client, settings):
    settings.RATELIMIT_SIGN_IN = "2/m"
    url = reverse("login")
    for _ in range(2):
        assert post(client, url, {"username": "a@example.gov", "password": "x"}).status_code == 200
    refused = post(client, url, {"username": "a@example.gov", "password": "x"})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    event = AuditEvent.objects.get(event=AuditEventType.RATE_LIMITED)
    assert event.ip == "198.51.100.1"
    assert event.after == {"limit": "sign_in"}
    # Another address is not limited, nor is reading the form.
    assert post(client, url, {"username": "a@example.gov", "password": "x"}, ip="198.51.100.2")
    assert client.get(url, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_the_admin_sign_in_shares_the_limit(client, settings):
    settings.RATELIMIT_SIGN_IN = "1/m"
    post(client, reverse("login"), {"username": "a@example.gov", "password": "x"})
    refused = post(client, reverse("admin:login"), {"username": "a@example.gov", "password": "x"})
    assert refused.status_code == 429


def test_the_limit_reads_the_address_behind_the_trusted_proxy(client, settings):
    settings.RATELIMIT_SIGN_IN = "1/m"
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("login")
    data = {"username": "a@example.gov", "password": "x"}
    first = client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert first.status_code == 200
    other = client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 200
    again = client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert again.status_code == 429


def test_password_reset_requests_are_limited(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_PASSWORD_RESET = "1/h"
    UserFactory(email="casey@example.gov")
    url = reverse("password_reset")
    # The email leaves through the outbox, after the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, url, {"email": "casey@example.gov"})
        second = post(client, url, {"email": "casey@example.gov"})
    assert (first.status_code, second.status_code) == (302, 429)
    assert len(mailoutbox) == 1


def test_choosing_the_new_password_is_limited(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.RATELIMIT_PASSWORD_RESET = "1/h"
    UserFactory(email="casey@example.gov")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("password_reset"), {"email": "casey@example.gov"}, REMOTE_ADDR="1.1.1.1"
        )
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    short = {"new_password1": "x", "new_password2": "x"}
    assert post(client, set_url, short).status_code == 200  # refused by the validators
    assert post(client, set_url, short).status_code == 429


def test_accepting_invitations_is_limited(client, settings):
    settings.RATELIMIT_INVITATION = "1/h"
    url = reverse("partners:invitation_accept", args=["no-such-token"])
    assert post(client, url, {}).status_code == 410
    assert post(client, url, {}).status_code == 429
    assert client.get(url, REMOTE_ADDR="198.51.100.1").status_code == 410
