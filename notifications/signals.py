"""Mail that could not be sent, shown to administrators.

notifications.send_email retries a refused connection with backoff; when the last retry fails,
Celery reports the failure and it is recorded here and told to every active
administrator in the portal (not by email: the mail server is what failed).
"""

from django.urls import reverse

from accounts.choices import Role
from accounts.models import User

from .models import FailedEmail, Notification


def record_failed_email(sender=None, exception=None, kwargs=None, **_):
    if getattr(sender, "name", None) != "notifications.send_email":
        return
    kwargs = kwargs or {}
    failure = FailedEmail.objects.create(
        to=", ".join(kwargs.get("to", [])),
        subject=kwargs.get("subject", "")[:300],
        error=f"{type(exception).__name__}: {exception}",
    )
    Notification.objects.bulk_create(
        Notification(
            recipient_id=admin_id,
            title=f"Email not sent after every retry: “{failure.subject[:120]}”",
            body=failure.error,
            url=reverse("admin:notifications_failedemail_change", args=[failure.pk]),
        )
        for admin_id in User.objects.filter(role=Role.ADMINISTRATOR, is_active=True).values_list(
            "pk", flat=True
        )
    )
