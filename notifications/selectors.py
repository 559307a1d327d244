"""Reads of a person's notifications for pages (the unread count is a context processor)."""

from django.db.models import QuerySet

from accounts.models import User

from .models import Notification


def unread(user: User) -> QuerySet[Notification]:
    """The person's unread notifications, newest first."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)
