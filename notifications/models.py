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
        PROPOSAL = "proposal", "Consequence proposed to the supervisor"

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


class Consequence(models.Model):
    """What the program does about an overdue obligation, proposed to a supervisor.

    The sweep never changes a partner's standing by itself: it records a proposal (once per
    deadline key) and the field office's supervisors confirm or dismiss it, with a reason.
    Confirming a suspension makes the move through the partners service, as if the
    supervisor had made it on the partner page.
    """

    class Kind(models.TextChoices):
        SUSPEND_TRADE_COMPLIANCE = (
            "suspend_trade_compliance",
            "Suspend Trade Compliance (forced-labor documentation overdue)",
        )
        FLAG_REVALIDATION = "flag_revalidation", "Revalidation overdue"
        FLAG_SUSPENSION_RESPONSE = (
            "flag_suspension_response",
            "Suspension letter unanswered: decide removal or reinstatement",
        )

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting a decision"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    key = models.CharField(max_length=120, unique=True, help_text="The overdue deadline's key.")
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="consequences"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    deadline_label = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="consequence_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.partner}"


class ExtensionRequest(models.Model):
    """A partner asks for more time on one deadline it owes; a CBP specialist decides.

    `key` is the deadline's key (ctpat.deadlines.deadline_key), which names the obligation
    and its original due date. A granted request moves that deadline to `granted_until`
    wherever the registry is read: the partner page, the sweep and the dashboard.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting a decision"
        GRANTED = "granted", "Granted"
        DENIED = "denied", "Denied"

    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="extension_requests"
    )
    key = models.CharField(max_length=120)
    deadline_label = models.CharField(max_length=200)
    due_on = models.DateField(help_text="The due date when the request was made.")
    requested_until = models.DateField()
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    granted_until = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(status="pending"),
                name="one_pending_extension_per_deadline",
            ),
            models.CheckConstraint(
                name="granted_extension_has_a_date",
                condition=~models.Q(status="granted") | models.Q(granted_until__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="extension_partner_idx"),
            models.Index(fields=["status", "due_on"], name="extension_status_idx"),
        ]

    def __str__(self):
        return f"Extension of {self.deadline_label} for {self.partner}"


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
