from celery import shared_task
from django.conf import settings

from ctpat import outbox
from ctpat.reports import render_and_store

from . import summary
from .documents import render_pdf as to_pdf
from .models import DashboardReport


@shared_task(name="dashboard.refresh")
def refresh() -> int:
    """Recompute the dashboard's figures (Celery beat, every DASHBOARD_REFRESH_SECONDS)."""
    return summary.refresh().pk


@shared_task(
    name="dashboard.render_pdf",
    soft_time_limit=settings.REPORT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_RENDER_TIME_LIMIT,
)
@outbox.claimed
def render_pdf(report_id: int) -> str:
    """Render one dashboard PDF (idempotent: a ready report is left alone)."""
    return render_and_store(
        DashboardReport, report_id, render_pdf=to_pdf, folder="dashboard"
    ).status
