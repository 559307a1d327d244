from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message to one person in the portal: what happened, and a link to it.

    The navigation shows the unread count; the same message may also go by email.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent_idx"),
        ]

    def __str__(self):
        return f"{self.title} for {self.recipient}"


class SentNotice(models.Model):
    """A notice the deadline sweep sent, recorded under a unique key so it is sent once.

    (deadline key, recipient, notice) is unique: a re-run, two schedulers, or a task
    redelivered after a worker died find the row already there and send nothing. The
    `run` that inserted a row is the only one that sends it.
    """

    class Notice(models.TextChoices):
        REMINDER_30 = "reminder_30", "Reminder, 30 days before"
        REMINDER_7 = "reminder_7", "Reminder, 7 days before"
        REMINDER_1 = "reminder_1", "Reminder, 1 day before"
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Escalated to the supervisor"

    key = models.CharField(max_length=120)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notice = models.CharField(max_length=20, choices=Notice.choices)
    due_on = models.DateField()
    run = models.UUIDField(help_text="The sweep run that inserted (and so sends) this notice.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient", "notice"], name="notice_sent_once")
        ]
        indexes = [models.Index(fields=["run"], name="sent_notice_run_idx")]

    def __str__(self):
        return f"{self.get_notice_display()}: {self.key} to {self.recipient_id}"
