"""Reads of a person's notifications for pages (the unread count is a context processor)."""

from django.db.models import QuerySet

from accounts.models import User

from .models import Notification


def unread(user: User) -> QuerySet[Notification]:
    """The person's unread notifications, newest first (done ones are not unread)."""
    return Notification.objects.filter(recipient=user).unread()


def notifications_of(user: User) -> QuerySet[Notification]:
    """Every notification of the person, newest first, with who decided the done ones."""
    return Notification.objects.filter(recipient=user).select_related("done_by")
