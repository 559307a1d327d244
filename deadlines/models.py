from django.conf import settings
from django.db import models
from django.urls import reverse

from ctpat.deadlines import NextStep, ProposedItem, consequence_action


class SentNotice(models.Model):
    """A notice the deadline sweep sent, recorded under a unique key so it is sent once.

    (deadline key, recipient, notice) is unique: a re-run, two schedulers, or a task
    redelivered after a worker died find the row already there and send nothing. The
    `run` that inserted a row is the only one that sends it.
    """

    class Notice(models.TextChoices):
        # Reminders are "reminder_<days before>", as many as the kind's offsets (reminder()).
        OVERDUE = "overdue", "Overdue"
        ESCALATION = "escalation", "Escalated to the supervisor"
        PROPOSAL = "proposal", "Consequence proposed to the supervisor"

    key = models.CharField(max_length=120)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    notice = models.CharField(max_length=20)
    due_on = models.DateField()
    run = models.UUIDField(help_text="The sweep run that inserted (and so sends) this notice.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient", "notice"], name="dl_notice_sent_once"
            )
        ]
        indexes = [models.Index(fields=["run"], name="dl_notice_run_idx")]

    def __str__(self):
        return f"{self.notice_label}: {self.key} to {self.recipient_id}"

    @property
    def notice_label(self) -> str:
        if self.notice.startswith(REMINDER_PREFIX):
            days = int(self.notice.removeprefix(REMINDER_PREFIX))
            return f"Reminder, {days} day{'s' if days != 1 else ''} before"
        return self.Notice(self.notice).label


REMINDER_PREFIX = "reminder_"


def reminder(days_before: int) -> str:
    """The notice code of the reminder sent `days_before` the due date."""
    return f"{REMINDER_PREFIX}{days_before}"


class Consequence(models.Model):
    """What the program does about an overdue obligation, proposed to a supervisor.

    The sweep never changes a partner's standing by itself: it records a proposal (once per
    deadline key) and the field office's supervisors confirm or dismiss it, with a reason.
    What confirming does is the owning app's: each kind of deadline declares its
    ConsequenceAction with a confirm handler (forced labor's suspends Trade Compliance through
    the partners service, as if the supervisor had made the move on the partner page).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting a decision"
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    key = models.CharField(
        max_length=120,
        unique=True,
        help_text='The overdue deadline\'s key, with "#<action>" for a later stage '
        "(ctpat.deadlines.DueItem.consequence_key).",
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, related_name="consequences"
    )
    kind = models.CharField(
        max_length=60,
        help_text="The code of the proposed action (ctpat.deadlines.ConsequenceAction), "
        "declared by the app that owns the deadline.",
    )
    label = models.CharField(max_length=200, help_text="The action's label when proposed.")
    deadline_label = models.CharField(max_length=200)
    due_on = models.DateField()
    url = models.CharField(
        max_length=300,
        blank=True,
        help_text="The page of the overdue item (or of the decision that proposed it); empty "
        "for proposals recorded before it was kept.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)

    # Not stored: what the action's handler said happens next, set on the instance
    # consequence_decide returns.
    next_step: NextStep | None = None

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="dl_consequence_status_idx")]

    def __str__(self):
        return f"{self.label}: {self.partner}"

    @property
    def notification_subject(self) -> str:
        """What the notifications asking a supervisor to decide this proposal name
        (notifications.services.mark_done): by key, which the sweep knows before the row
        has an id."""
        return consequence_subject(self.key)

    @property
    def action(self):
        """The declared action, or None if no app declares its code any more."""
        return consequence_action(self.kind)

    @property
    def item_url(self) -> str:
        """Where the overdue item is seen: its page, or the partner page (whose deadlines
        list it) for proposals recorded before the page was kept."""
        return self.url or reverse("partners:detail", args=[self.partner_id])

    def proposed_item(self) -> ProposedItem:
        """What the action's confirm handler is told about this proposal."""
        return ProposedItem(self.key, self.partner_id, self.deadline_label, self.url, self.due_on)


def consequence_subject(key: str) -> str:
    """The notification subject of the proposed consequence of the deadline `key`."""
    return f"consequence:{key}"


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
                name="dl_one_pending_extension",
            ),
            models.CheckConstraint(
                name="dl_granted_extension_has_date",
                condition=~models.Q(status="granted") | models.Q(granted_until__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "status"], name="dl_extension_partner_idx"),
            models.Index(fields=["status", "due_on"], name="dl_extension_status_idx"),
        ]

    def __str__(self):
        return f"Extension of {self.deadline_label} for {self.partner}"

    @property
    def notification_subject(self) -> str:
        """What the notification asking CBP to decide this request names."""
        return f"extension-request:{self.pk}"
