"""Shared machinery: the abstract bases of kept files and reports, and the program's rules."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .uploads import KINDS


class ScanStatus(models.TextChoices):
    """Where a kept file's virus scan stands (ctpat.scanning)."""

    SCANNING = "scanning", _("Being scanned")
    CLEAN = "clean", _("Clean")
    QUARANTINED = "quarantined", _("Quarantined")
    NOT_SCANNED = "not_scanned", _("Not scanned")


# Files anyone allowed to see them may download: clean, or kept with no scanner configured
# (shown as "Not scanned" wherever the file is listed).
DOWNLOADABLE = (ScanStatus.CLEAN, ScanStatus.NOT_SCANNED)


class StoredDocumentQuerySet(models.QuerySet):
    """What may be listed and downloaded of kept files, by their scan (ctpat.scanning).

    Mixed into each file model's queryset beside its access scoping (`visible_to`)."""

    def downloadable(self):
        return self.filter(scan_status__in=DOWNLOADABLE)

    def listed_for(self, user):
        """Downloadable files, and those still being scanned that `user` uploaded (shown to
        them as pending, without a link). Quarantined files are listed to nobody."""
        return self.filter(
            Q(scan_status__in=DOWNLOADABLE)
            | Q(scan_status=ScanStatus.SCANNING, uploaded_by_id=getattr(user, "pk", None))
        )


class StoredDocument(models.Model):
    """Fields every kept file has; ctpat.uploads checks and stores the file itself.

    A new file is being scanned until ctpat.scanning says it is clean or quarantines it
    (or marks it not scanned, with no scanner configured): until then only its uploader
    sees it, as pending, and nobody may download it. `scan_queued_at` is when its scan was
    last queued; beat queues it again when that is SCAN_RETRY_SECONDS old (clamd was down).
    """

    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    scan_status = models.CharField(
        _("scan"), max_length=20, choices=ScanStatus.choices, default=ScanStatus.SCANNING
    )
    scan_queued_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    scanned_at = models.DateTimeField(null=True, blank=True)
    scan_signature = models.CharField(
        max_length=200, blank=True, help_text=_("What the scanner found, when quarantined.")
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def content_type(self):
        return KINDS[self.kind][1]

    @property
    def is_downloadable(self) -> bool:
        return self.scan_status in DOWNLOADABLE

    def get_download_url(self) -> str:
        """The view that serves it (each kind says; it checks access and the scan)."""
        raise NotImplementedError


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RenderedReport(models.Model):
    """Fields every issued PDF report has: rendered once from `snapshot`, never overwritten.

    `snapshot` is the data it was made from; `sha256` proves the stored file is the one
    issued. ctpat.reports renders and stores it (a Celery task per app calls it).

    A render holds a lease: `started_at` is when the current attempt claimed the report,
    `lease_expires_at` when it stops holding it (a worker killed mid-render never lets go,
    so its lease runs out and beat queues the render again: ctpat.reports). While the
    report is queued, `lease_expires_at` is when it should have started by. Each kind
    names its render task (`render_task`, taking the report's id), so ctpat can queue it
    again without importing the app.
    """

    render_task: str = ""

    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    snapshot = models.JSONField()
    stored_name = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RENDERING)

    @classmethod
    def stuck(cls, now=None) -> Q:
        """Reports whose render nobody holds any more: rendering past its lease, or queued
        and not started by its deadline (without one, REPORT_QUEUED_SECONDS after it was
        asked for)."""
        now = timezone.now() if now is None else now
        queued_since = now - timedelta(seconds=settings.REPORT_QUEUED_SECONDS)
        # A render without a lease was claimed before leases existed: nobody holds it.
        return Q(
            Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True),
            status=ReportStatus.RENDERING,
        ) | Q(
            Q(lease_expires_at__lt=now)
            | Q(lease_expires_at__isnull=True, created_at__lt=queued_since),
            status=ReportStatus.QUEUED,
        )

    @property
    def is_stuck(self) -> bool:
        """Being made, but past the time its render should have ended or started by."""
        if not self.is_pending:
            return False
        now = timezone.now()
        if self.lease_expires_at is not None:
            return self.lease_expires_at < now
        return self.status == ReportStatus.RENDERING or self.created_at < now - timedelta(
            seconds=settings.REPORT_QUEUED_SECONDS
        )

    @property
    def can_be_retried(self) -> bool:
        """A failed render, or one stuck past its lease, may be queued again."""
        return self.status == ReportStatus.FAILED or self.is_stuck

    # What the one list of reports (templates/ctpat/_reports.html) shows; each kind says.
    def get_label(self) -> str:
        raise NotImplementedError

    def get_key(self) -> str:
        """Names the report's row on the page (data-testid="report-<key>")."""
        raise NotImplementedError

    def get_download_url(self) -> str:
        raise NotImplementedError

    def get_retry_url(self) -> str:
        """Where a POST renders a failed report again."""
        raise NotImplementedError

    def get_other_downloads(self) -> list[tuple[str, str]]:
        """(label, url) of the same figures in other formats, beside the PDF."""
        return []


class RuleUnit(models.TextChoices):
    DAYS = "days", "Days"
    MONTHS = "months", "Months"
    COUNT = "count", "Count"
    DATE = "date", "Date"
    DAYS_LIST = "days_list", "Days, a list"


# The largest value of each unit a rule may take: beyond these a date computed from it leaves
# the calendar (a typo such as 99999999 days would break every page that shows a deadline).
RULE_MAXIMUM = {"days": 3660, "months": 120, "count": 100_000}
DAYS_LIST_MAXIMUM = (10, 3660)  # at most 10 reminders, each at most 3,660 days before


def parse_rule_value(unit: str, text: str) -> int | date | tuple[int, ...]:
    """The typed value of a rule's text: an integer, an ISO date, or "30,7,1" (largest first).

    Raises ValueError with a message an administrator can read."""
    text = text.strip()
    if unit == RuleUnit.DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD.") from None
    if unit == RuleUnit.DAYS_LIST:
        try:
            days = [int(part) for part in text.split(",")]
        except ValueError:
            raise ValueError("Enter whole numbers of days separated by commas: 30,7,1.") from None
        if any(d <= 0 for d in days) or len(set(days)) != len(days):
            raise ValueError("Each number of days must be positive and appear once.")
        most, longest = DAYS_LIST_MAXIMUM
        if len(days) > most or max(days) > longest:
            raise ValueError(f"Give at most {most} numbers of days, each at most {longest:,}.")
        return tuple(sorted(days, reverse=True))
    try:
        number = int(text)
    except ValueError:
        raise ValueError("Enter a whole number.") from None
    if number < 0:
        raise ValueError("Enter a number of zero or more.")
    if number > RULE_MAXIMUM.get(unit, RULE_MAXIMUM["count"]):
        raise ValueError(f"Enter at most {RULE_MAXIMUM.get(unit, RULE_MAXIMUM['count']):,}.")
    return number


class ProgramRule(models.Model):
    """One value of one program rule (a day count, a date), in force from `effective_from`.

    Several rows of one name are the rule's history: the value in force on a day is the row
    with the latest `effective_from` on or before it (ctpat.program_rules.rule reads it).
    A new value is a new row; a row already in force is never edited, so a deadline worked
    out under it can be worked out again the same way.
    """

    name = models.CharField(max_length=60, help_text="The rule's code, as the code reads it.")
    value = models.CharField(
        max_length=100,
        help_text="A whole number; for dates YYYY-MM-DD; for a list of days 30,7,1.",
    )
    unit = models.CharField(max_length=20, choices=RuleUnit.choices)
    effective_from = models.DateField()
    source = models.CharField(
        max_length=300,
        help_text="The legal source (statute, regulation, CBP guidance) or "
        '"the project\'s reading".',
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(help_text="Why the value is set or changed.")
    changed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "effective_from"], name="program_rule_one_value_a_day"
            )
        ]

    def __str__(self):
        return f"{self.name} = {self.value} from {self.effective_from:%Y-%m-%d}"

    @property
    def typed_value(self) -> int | date | tuple[int, ...]:
        return parse_rule_value(self.unit, self.value)

    def clean(self):
        super().clean()
        try:
            value = parse_rule_value(self.unit, self.value)
        except ValueError as e:
            raise ValidationError({"value": str(e)}) from None
        if (
            self.unit == RuleUnit.DAYS_LIST
            and isinstance(value, tuple)
            and (not value or min(value) < 1)
        ):
            raise ValidationError({"value": "Give one or more whole days before, e.g. 30,7,1."})
        other = ProgramRule.objects.filter(name=self.name).exclude(pk=self.pk).first()
        if other is not None and other.unit != self.unit:
            raise ValidationError(
                {"unit": f"{self.name} is counted in {other.get_unit_display().lower()}."}
            )


class Heartbeat(models.Model):
    """When a background process last showed it was alive: "beat" (it sent the periodic
    ctpat.heartbeat task) and "worker" (a worker ran it). /healthz and the administrators'
    status page report their ages (ctpat/health.py)."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"


class OutboxMessage(models.Model):
    """One piece of background work (a render, an email), written in the transaction that
    needs it, so it is never lost when the broker is away (ctpat.outbox).

    It is sent to Celery after commit and again by beat while it has not started; the task
    claims the row (`started_at`) and marks it `done_at`, so a row sent twice runs once.
    """

    task = models.CharField(max_length=100)
    kwargs = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            # Beat's scan and /healthz read only the rows not done yet.
            models.Index(
                fields=["created_at"],
                condition=models.Q(done_at__isnull=True),
                name="outbox_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.task} #{self.pk}"
