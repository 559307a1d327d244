"""A mail server that refuses every connection: retried with backoff, then shown to admins."""

import pytest

from notifications.models import FailedEmail, Notification
from notifications.tasks import send_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mail_refused_after_every_retry_is_recorded_and_shown_to_administrators(settings):
    admin = UserFactory(administrator=True)
    specialist = UserFactory(specialist=True)
    # A real SMTP connection to a port nothing listens on: refused, an OSError.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    # Run in-process, each retry at once (a worker would wait 30 s, 60 s, ... between them).
    from ctpat.celery import app

    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        result = send_email.apply(
            kwargs={
                "to": ["officer@acme.example"],
                "subject": "Reminder",
                "text": "t",
                "html": "<p>t</p>",
            }
        )
    finally:
        app.conf.task_eager_propagates = propagates
    assert result.failed()
    failure = FailedEmail.objects.get()
    assert failure.to == "officer@acme.example" and "Connection" in failure.error
    assert Notification.objects.filter(recipient=admin, title__contains="Reminder").exists()
    assert not Notification.objects.filter(recipient=specialist).exists()


def test_the_task_retries_with_backoff():
    assert send_email.autoretry_for == (OSError,)
    assert send_email.retry_backoff and send_email.retry_kwargs["max_retries"] == 5


def test_administrators_see_failed_mail_in_the_admin(client):
    FailedEmail.objects.create(to="a@b.example", subject="Digest", error="ConnectionRefusedError")
    client.force_login(UserFactory(administrator=True))
    page = client.get("/admin/notifications/failedemail/")
    assert page.status_code == 200 and "Digest" in page.text
