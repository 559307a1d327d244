import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def sign_in(client, email, password):
    return client.post(LOGIN, {"username": email, "password": password})


def test_a_person_signs_in_with_email_in_any_case(client):
    user = UserFactory(email="casey@example.gov")
    response = sign_in(client, "Casey@Example.gov", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_wrong_password_gets_a_clear_message_and_no_session(client):
    UserFactory(email="casey@example.gov")
    response = sign_in(client, "casey@example.gov", "not-the-password")
    assert response.status_code == 200
    assert "The email address or password is not right." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_sixth_attempt_after_five_failures_is_locked_even_with_the_right_password(client):
    UserFactory(email="casey@example.gov")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "casey@example.gov", "wrong").status_code == 200
    fifth = sign_in(client, "casey@example.gov", "wrong")
    assert fifth.status_code == 429
    sixth = sign_in(client, "CASEY@example.gov", PASSWORD)
    assert sixth.status_code == 429
    assert "locked after 5 failed sign-in attempts" in sixth.content.decode()
    assert "Try again in 30 minutes" in sixth.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_account_not_per_office_network(client):
    UserFactory(email="casey@example.gov")
    other = UserFactory(email="lee@example.gov")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "casey@example.gov", "wrong")
    assert sign_in(client, other.email, PASSWORD).status_code == 302


def test_pages_need_sign_in_except_login_reset_and_health(client):
    assert client.get(reverse("home")).status_code == 302
    assert client.get(reverse("home")).url.startswith(LOGIN)
    for name in ("login", "password_reset", "password_reset_done", "healthz"):
        assert client.get(reverse(name)).status_code == 200, name


def test_sign_out_needs_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_the_session_expires_after_the_idle_timeout(client):
    client.force_login(UserFactory())
    client.get(reverse("home"))
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert client.session.get_expiry_age() == settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 == 1800


def test_password_reset_sends_a_single_use_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="casey@example.gov")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "casey@example.gov"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["casey@example.gov"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new = "a-brand-new-passphrase"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)

    again = client.get(link, follow=True)
    assert "already been used or has expired" in again.content.decode()


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov"})
    assert response.status_code == 302
    assert mailoutbox == []


def test_password_change_checks_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("password_change")
    bad = client.post(
        url, {"old_password": "wrong", "new_password1": "x" * 14, "new_password2": "x" * 14}
    )
    assert "Your old password was entered incorrectly" in bad.content.decode()
    new = "another-long-passphrase"
    good = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert good.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(new)


def test_every_form_carries_a_csrf_token(client):
    for name in ("login", "password_reset"):
        html = client.get(reverse(name)).content.decode()
        assert html.count('name="csrfmiddlewaretoken"') == html.count("<form")
    client.force_login(UserFactory())
    html = client.get(reverse("password_change")).content.decode()
    # the page's own form and the sign-out form in the navigation
    assert html.count('name="csrfmiddlewaretoken"') == html.count("<form") == 2
