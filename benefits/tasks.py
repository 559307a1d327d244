"""Thin Celery wrappers: take ids, call a service."""

from celery import shared_task

from .services import report_render


@shared_task(name="benefits.render_report")
def render_report(report_id: int) -> str:
    """Render one version of the yearly benefits report (idempotent)."""

    return report_render(report_id=report_id).status
