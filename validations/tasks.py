"""Thin Celery wrappers: take ids, call a service."""

from celery import shared_task

from .services import report_render


@shared_task(name="validations.render_report")
def render_report(report_id: int) -> str:
    """Render one issued report to PDF (idempotent: a ready report is left alone)."""

    return report_render(report_id=report_id).status
