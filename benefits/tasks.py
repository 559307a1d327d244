"""Thin Celery wrappers: take ids, call a service."""

from celery import shared_task

from ctpat import outbox


@shared_task(name="benefits.render_report")
@outbox.claimed
def render_report(report_id: int) -> str:
    """Render one version of the yearly benefits report (idempotent)."""
    from .services import report_render  # lazy: services imports this module

    return report_render(report_id=report_id).status
