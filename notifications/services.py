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
    subject: str = "",
) -> int:
    """A notification for each recipient (a user, once each), and an email after commit.

    `url` is a path in the site; the email gives it as a full link. `subject` names what
    the notification asks the recipient to decide ("appeal:7"), so deciding it marks the
    notification done (mark_done); leave it empty when nothing is asked. Returns how many.
    """
    people = {person.pk: person for person in recipients if person is not None and person.is_active}
    Notification.objects.bulk_create(
        Notification(recipient=person, title=title, body=body, url=url, subject=subject)
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


def mark_done(subject: str, *, by: User | None = None, url: str | None = None) -> int:
    """Every notification still asking for a decision on `subject` is done: decided by `by`
    now. One update, called in the deciding transaction, so a rolled-back decision leaves
    the notifications as they were. `url` repoints them where the outcome is shown, when
    their own link was the decision form, which now refuses. Returns how many."""
    if not subject:
        return 0
    changes: dict = {"done_at": timezone.now(), "done_by": by}
    if url is not None:
        changes["url"] = url
    return (
        Notification.objects.filter(subject=subject, done_at__isnull=True)
        .exclude(subject="")  # matches the partial index's condition
        .update(**changes)
    )


def mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them, or the given ones)."""
    unread = Notification.objects.filter(recipient=user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
