"""Sign-in events in the audit log: who, from where, and never the password."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.choices import AuditEventType as E
from accounts.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

# The accounts' own rows (made by the factories) are recorded too; these tests read the rest.
RECORD_CHANGES = [E.CREATED, E.UPDATED, E.DELETED]

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def events():
    return list(
        AuditEvent.objects.exclude(event__in=RECORD_CHANGES)
        .order_by("id")
        .values_list("event", flat=True)
    )


def test_signing_in_and_out_is_recorded_with_the_person_and_address(client):
    user = UserFactory(email="casey@example.gov")
    client.post(LOGIN, {"username": "Casey@example.gov", "password": PASSWORD})
    client.post(reverse("logout"))
    signed_in, signed_out = AuditEvent.objects.exclude(event__in=RECORD_CHANGES).order_by("id")
    assert (signed_in.event, signed_in.actor, signed_in.ip) == (E.SIGN_IN, user, "127.0.0.1")
    assert (signed_out.event, signed_out.actor) == (E.SIGN_OUT, user)


def test_a_failed_sign_in_names_the_account_when_the_address_has_one_but_not_the_password(
    client,
):
    user = UserFactory(email="casey@example.gov")
    client.post(LOGIN, {"username": "CASEY@example.gov", "password": "Secret-guess-1"})
    client.post(LOGIN, {"username": "nobody@example.gov", "password": "Secret-guess-2"})
    known, unknown = AuditEvent.objects.exclude(event__in=RECORD_CHANGES).order_by("id")
    assert (known.event, known.actor, known.object_id) == (E.SIGN_IN_FAILED, user, str(user.pk))
    assert (unknown.event, unknown.actor) == (E.SIGN_IN_FAILED, None)
    assert unknown.object_repr == "nobody@example.gov"
    for event in (known, unknown):
        assert "Secret-guess" not in repr([getattr(event, f.name) for f in AuditEvent._meta.fields])


def test_the_lockout_is_recorded_once_and_refused_attempts_as_failures(client):
    user = UserFactory(email="casey@example.gov")
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post(LOGIN, {"username": "casey@example.gov", "password": "wrong"})
    assert events().count(E.LOCKED_OUT) == 1
    assert events().count(E.SIGN_IN_FAILED) == settings.AXES_FAILURE_LIMIT + 2
    locked = AuditEvent.objects.get(event=E.LOCKED_OUT)
    assert locked.actor == user
    assert AuditEvent.objects.filter(event=E.SIGN_IN_FAILED).order_by("id").last().after == {
        "locked": True
    }


def test_an_unknown_address_locks_as_an_account_would(client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "nobody@example.gov", "password": "wrong"})
    locked = AuditEvent.objects.get(event=E.LOCKED_OUT)
    assert locked.actor is None
    assert locked.object_repr.startswith("unknown:")


def test_failures_on_unknown_addresses_do_not_tell_them_from_known_ones(client, settings):
    """Five failures on five made-up addresses lock none of them: the next made-up address
    and a real one are answered alike (the security review's oracle)."""
    UserFactory(email="casey@example.gov")
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": f"nobody{n}@example.gov", "password": "wrong"})
    unknown = client.post(LOGIN, {"username": "nobody-else@example.gov", "password": "wrong"})
    known = client.post(LOGIN, {"username": "casey@example.gov", "password": "wrong"})
    assert unknown.status_code == known.status_code == 200


def test_a_client_failing_on_many_unknown_addresses_may_sign_in_to_none(client, settings):
    settings.UNKNOWN_ADDRESS_FAILURE_LIMIT = 3
    user = UserFactory(email="casey@example.gov")
    for n in range(3):
        client.post(LOGIN, {"username": f"nobody{n}@example.gov", "password": "wrong"})
    refused = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="192.0.2.50")
    assert other.post(LOGIN, {"username": user.email, "password": PASSWORD}).status_code == 302


def test_a_password_typed_as_the_address_is_not_kept(client):
    client.post(LOGIN, {"username": "Secret password 1", "password": "x"})
    failed = AuditEvent.objects.get(event=E.SIGN_IN_FAILED)
    assert "Secret" not in failed.object_repr and failed.object_repr.startswith("not an address")


def test_changing_the_password_is_recorded(client):
    user = UserFactory()
    client.force_login(user)
    new = "another-long-passphrase"
    client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert AuditEvent.objects.filter(event=E.PASSWORD_CHANGED, actor=user).count() == 1


def test_asking_for_and_doing_a_password_reset_is_recorded(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="casey@example.gov")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "casey@example.gov"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "nobody@example.gov"})
    asked, unknown = AuditEvent.objects.filter(event=E.PASSWORD_RESET_REQUESTED).order_by("id")
    assert asked.actor == user
    assert (unknown.actor, unknown.object_repr) == (None, "nobody@example.gov")

    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    new = "a-brand-new-passphrase"
    client.post(set_url, {"new_password1": new, "new_password2": new})
    assert AuditEvent.objects.get(event=E.PASSWORD_RESET).actor == user
