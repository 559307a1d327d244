"""Rendering and storing issued PDF reports (ctpat.models.RenderedReport), for every app.

An app's report model inherits RenderedReport; its Celery task calls `render_and_store`
with the function that turns a snapshot into PDF bytes. The claim is a compare-and-swap
update, so a redelivered task renders once; a failure is recorded on the report, whose
page offers `retry`.
"""

import hashlib
import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from . import outbox
from .errors import DomainError
from .models import ReportStatus

logger = logging.getLogger(__name__)


def render_and_store(model, report_id: int, *, render_pdf, folder: str, on_ready=None):
    """Render one report and store it under `folder`; safe to run again.

    `on_ready(report)` runs in the transaction that marks the report ready (a
    notification, say), only for the run that did so. Returns the report as stored.
    """
    claimed = model.objects.filter(
        pk=report_id, status__in=[ReportStatus.QUEUED, ReportStatus.RENDERING]
    ).update(status=ReportStatus.RENDERING)
    report = model.objects.get(pk=report_id)
    if not claimed:
        return report
    try:
        pdf = render_pdf(report.snapshot)
        name = default_storage.save(
            f"{folder}/v{report.version}-{uuid.uuid4().hex}.pdf", ContentFile(pdf)
        )
    except Exception as error:  # rendering or storing failed: shown on the page with a retry
        logger.exception("Rendering %s %s failed", model.__name__, report_id)
        model.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        ready = model.objects.filter(pk=report_id, status=ReportStatus.RENDERING).update(
            status=ReportStatus.READY,
            stored_name=name,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            rendered_at=timezone.now(),
        )
        report.refresh_from_db()
        if ready and on_ready is not None:
            on_ready(report)
    return report


def retry(model, report, task) -> None:
    """Queue a failed report's render again (same version, same snapshot)."""
    updated = model.objects.filter(pk=report.pk, status=ReportStatus.FAILED).update(
        status=ReportStatus.QUEUED, error=""
    )
    if not updated:
        raise DomainError("Only a report that failed to render can be retried.")
    outbox.enqueue(task.name, report_id=report.pk)
