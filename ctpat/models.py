"""No tables of its own: the abstract base every kept file's model shares."""

from django.conf import settings
from django.db import models


class StoredDocument(models.Model):
    """Fields every kept file has; ctpat.uploads checks and stores the file itself."""

    stored_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def content_type(self):
        from ctpat.uploads import KINDS

        return KINDS[self.kind][1]


class ReportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class RenderedReport(models.Model):
    """Fields every issued PDF report has: rendered once from `snapshot`, never overwritten.

    `snapshot` is the data it was made from; `sha256` proves the stored file is the one
    issued. ctpat.reports renders and stores it (a Celery task per app calls it).
    """

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
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status in (ReportStatus.QUEUED, ReportStatus.RENDERING)

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
