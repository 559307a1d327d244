"""How sessions end: idle, at the absolute limit, by "Sign out everywhere"."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import sessions
from accounts.choices import AuditEventType as E
from accounts.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def test_a_session_ends_its_absolute_limit_after_sign_in_however_active(client, settings):
    settings.SESSION_COOKIE_AGE = 24 * 3600  # no idle timeout in the way: always active
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)  # passes the second factor too (tests/conftest.py)
    hours = settings.SESSION_ABSOLUTE_HOURS
    assert hours == 12
    with time_machine.travel(start + timedelta(hours=hours) - timedelta(minutes=1)):
        assert client.get(HOME).status_code == 200
    with time_machine.travel(start + timedelta(hours=hours, minutes=1)):
        response = client.get(HOME, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert f"a session ends {hours} hours after signing in" in response.content.decode()
    expired = AuditEvent.objects.filter(actor=user).order_by("id").last()
    assert expired is not None
    assert expired.event == E.SESSION_EXPIRED
    assert not AuditEvent.objects.filter(event=E.SIGN_OUT).exists()


def test_a_session_without_its_sign_in_time_is_ended(client):
    client.force_login(UserFactory())
    session = client.session
    del session[sessions.SIGNED_IN_AT]
    session.save()
    assert client.get(HOME).status_code == 302
    assert "_auth_user_id" not in client.session


def test_sign_out_everywhere_ends_every_session_of_the_person_only(client):
    user = UserFactory()
    elsewhere, colleague = Client(), Client()
    client.force_login(user)
    elsewhere.force_login(user)
    colleague.force_login(UserFactory())
    page = client.get(reverse("preferences")).content.decode()
    assert 'data-action="sign-out-everywhere"' in page

    response = client.post(reverse("sign_out_everywhere"))
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert elsewhere.get(HOME).status_code == 302
    assert colleague.get(HOME).status_code == 200
    assert AuditEvent.objects.get(event=E.SIGNED_OUT_EVERYWHERE).actor == user
    assert not AuditEvent.objects.filter(event=E.SIGN_OUT).exists()
    # Signing in again works (the second step, a specialist's, comes next).
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_out_everywhere_needs_a_post_with_its_csrf_token(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("sign_out_everywhere")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(reverse("sign_out_everywhere")).status_code == 403
    assert strict.get(HOME).status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(client):
    user = UserFactory()
    elsewhere = Client()
    client.force_login(user)
    elsewhere.force_login(user)
    new = "another-long-passphrase"
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert client.get(HOME).status_code == 200
    assert elsewhere.get(HOME).status_code == 302
