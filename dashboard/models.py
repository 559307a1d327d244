"""The dashboard's summary tables: figures precomputed for speed, never edited by people.

A Snapshot is one refresh (dashboard.summary.refresh, run by Celery beat); its Figures are
counts grouped by the dashboard's filters (field office, specialist, entity type, program),
so any filter combination is a SUM over a few thousand rows instead of GROUP BYs over
millions. Medians are kept as histograms by day, which add up across groups.
"""

from django.db import models
from django.urls import reverse

from ctpat.models import RenderedReport


class Snapshot(models.Model):
    computed_at = models.DateTimeField(db_index=True)
    took_ms = models.PositiveIntegerField(default=0)
    # Program-wide figures with no field office behind them (benefits).
    extra = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = "computed_at"

    def __str__(self):
        return f"Dashboard figures as of {self.computed_at:%Y-%m-%d %H:%M:%S}"


class Figure(models.Model):
    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="figures")
    panel = models.CharField(max_length=30)
    bucket = models.CharField(max_length=60)
    program = models.CharField(max_length=20, blank=True)
    field_office_id = models.IntegerField(null=True)
    specialist_id = models.IntegerField(null=True)
    entity_type = models.CharField(max_length=30, blank=True)
    value = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "field_office_id"], name="figure_office_idx")]

    def __str__(self):
        return f"{self.panel}/{self.bucket}: {self.value}"


class DashboardReport(RenderedReport):
    """The whole dashboard as a PDF, for the filters it was asked with."""

    version = models.PositiveSmallIntegerField(default=1)

    render_task = "dashboard.render_pdf"

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Dashboard PDF {self.pk}"

    def get_label(self) -> str:
        filters = self.snapshot.get("filters") or []
        return "Compliance dashboard" + (f" ({'; '.join(filters)})" if filters else "")

    def get_key(self) -> str:
        return str(self.pk)

    def get_download_url(self) -> str:
        return reverse("dashboard:pdf_download", args=[self.pk])

    def get_retry_url(self) -> str:
        return reverse("dashboard:pdf", args=[self.pk])
