"""Mail that could not be sent, and files a virus scan quarantined, shown to administrators.

notifications.send_email retries a refused connection with backoff; when the last retry fails,
Celery reports the failure and it is recorded here and told to every active
administrator in the portal (not by email: the mail server is what failed).
"""

from django.urls import reverse
from django.utils.translation import gettext

from accounts.choices import Role
from accounts.models import User

from .models import FailedEmail, Notification
from .services import notify


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


def tell_of_quarantined_file(sender=None, document=None, signature="", **_):
    """A kept file's scan found a virus (ctpat.signals.file_quarantined): every active
    administrator is told, and the person who uploaded it, in the quarantining transaction."""
    uploaded = document.uploaded_at.strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=User.objects.filter(role=Role.ADMINISTRATOR, is_active=True),
        title=gettext("A virus was found in an uploaded file: %(name)s") % {"name": document},
        body=gettext(
            "The scan found %(signature)s in %(name)s (%(kind)s %(pk)s, stored as "
            "%(stored)s), uploaded by %(person)s on %(uploaded)s. The file is quarantined: it "
            "is left out of every list and download, and kept on disk for inspection."
        )
        % {
            "signature": signature,
            "name": document,
            "kind": document._meta.verbose_name,
            "pk": document.pk,
            "stored": document.stored_name,
            "person": document.uploaded_by,
            "uploaded": uploaded,
        },
    )
    notify(
        recipients=[document.uploaded_by],
        title=gettext("Your file %(name)s was refused: the virus scan found %(signature)s")
        % {"name": document, "signature": signature},
        body=gettext(
            "It is not kept with your submission and nobody can download it. Check the "
            "computer it came from, then upload a clean copy."
        ),
    )
