from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """Not read, and not done: a notification whose subject was decided no longer asks
        anything of its recipient, so it leaves the unread count (the navigation's figure)."""
        return self.filter(read_at__isnull=True, done_at__isnull=True)


class Notification(models.Model):
    """A message to one person in the portal: what happened, and a link to it.

    The navigation shows the unread count; the same message may also go by email. A
    notification that asks for a decision names its `subject` ("validation-review:12"); when
    that subject is decided, by its recipient or by someone else, every notification of the
    subject is marked done (services.mark_done) in the deciding transaction, so nobody is
    left with a "waits for your review" about something already settled.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    # The database default too: the deadline sweep writes its notices with raw inserts.
    subject = models.CharField(
        max_length=150,
        blank=True,
        default="",
        db_default="",
        help_text="What the notification asks a decision on (kind:key); empty when nothing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True, help_text="When the subject was decided.")
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who decided the subject.",
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, done_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
            models.Index(
                fields=["subject"],
                condition=Q(done_at__isnull=True) & ~Q(subject=""),
                name="notification_open_subject_idx",
            ),
        ]

    def __str__(self):
        return f"{self.title} for {self.recipient}"


class FailedEmail(models.Model):
    """An email the mail server refused even after every retry; administrators see these."""

    to = models.TextField()
    subject = models.CharField(max_length=300)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]

    def __str__(self):
        return f"{self.subject} to {self.to}"
