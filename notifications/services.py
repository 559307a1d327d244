"""Telling people what happened: in the portal, and by email after the change commits."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from ctpat import outbox

from .email import render_email
from .models import Notification


def notify(
    *,
    recipients: Iterable[User | None],
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
) -> int:
    """A notification for each recipient (a user, once each), and an email after commit.

    `url` is a path in the site; the email gives it as a full link. Returns how many.
    """
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    Notification.objects.bulk_create(
        Notification(recipient=person, title=title, body=body, url=url)
        for person in people.values()
    )
    if email and people:
        link = settings.SITE_URL.rstrip("/") + url if url else ""
        subject, text, html = render_email(
            "notifications/email/notice", {"title": title, "body": body, "link": link}
        )
        addresses = sorted(person.email for person in people.values())
        outbox.enqueue(
            "notifications.send_email", to=addresses, subject=subject, text=text, html=html
        )
    return len(people)


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them, or the given ones)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
