"""Thin Celery wrappers: take ids, call a service."""

from celery import shared_task
from django.conf import settings

from ctpat import outbox


@shared_task(
    name="benefits.render_report",
    soft_time_limit=settings.REPORT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.REPORT_RENDER_TIME_LIMIT,
)
@outbox.claimed
def render_report(report_id: int) -> str:
    """Render one version of the yearly benefits report (idempotent)."""
    from .services import report_render  # lazy: services imports this module

    return report_render(report_id=report_id).status
