"""Rendering and storing issued PDF reports (ctpat.models.RenderedReport), for every app.

An app's report model inherits RenderedReport; its Celery task calls `render_and_store`
with the function that turns a snapshot into PDF bytes. A render claims the report with a
lease (a compare-and-swap update) and stores it only while it still holds that lease, so
a report is rendered and issued once however often its task runs, even by two workers.
A worker killed mid-render holds its lease until it runs out; `requeue_expired` (beat)
then queues the render again. A failure is recorded on the report, whose page offers
`retry`, as it does for a render stuck past its lease.
"""

import hashlib
import logging
import uuid
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import outbox
from .errors import DomainError
from .models import RenderedReport, ReportStatus

logger = logging.getLogger(__name__)


def render_and_store(model, report_id: int, *, render_pdf, folder: str, on_ready=None):
    """Render one report and store it under `folder`; safe to run again.

    `on_ready(report)` runs in the transaction that marks the report ready (a
    notification, say), only for the run that did so. Returns the report as stored.
    """
    now = timezone.now()
    before = model.objects.filter(pk=report_id).values("stored_name", "version").first() or {}
    # The file's name is the lease's token: written by the claim, checked by the store.
    name = f"{folder}/v{before.get('version')}-{uuid.uuid4().hex}.pdf"
    claimed = model.objects.filter(
        Q(status=ReportStatus.QUEUED)
        | Q(status=ReportStatus.RENDERING, lease_expires_at__lt=now)
        | Q(status=ReportStatus.RENDERING, lease_expires_at__isnull=True),
        pk=report_id,
    ).update(
        status=ReportStatus.RENDERING,
        stored_name=name,
        started_at=now,
        lease_expires_at=now + timedelta(seconds=settings.REPORT_LEASE_SECONDS),
    )
    report = model.objects.get(pk=report_id)
    if not claimed:
        return report
    if before.get("stored_name"):
        # A render that lost its lease (its worker killed) may have stored its file.
        _delete(before["stored_name"])
    try:
        pdf = render_pdf(report.snapshot)
        stored = default_storage.save(name, ContentFile(pdf))
    except Exception as error:  # rendering or storing failed: shown on the page with a retry
        logger.exception("Rendering %s %s failed", model.__name__, report_id)
        model.objects.filter(pk=report_id, status=ReportStatus.RENDERING, stored_name=name).update(
            status=ReportStatus.FAILED,
            stored_name="",
            lease_expires_at=None,
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        ready = model.objects.filter(
            pk=report_id, status=ReportStatus.RENDERING, stored_name=name
        ).update(
            status=ReportStatus.READY,
            stored_name=stored,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            rendered_at=timezone.now(),
            lease_expires_at=None,
        )
        report.refresh_from_db()
        if ready and on_ready is not None:
            on_ready(report)
    if not ready:  # another render took the report over: this file is not the issued one
        logger.warning("%s %s: lease lost while rendering", model.__name__, report_id)
        _delete(stored)
    return report


def _delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:
        logger.exception("Could not delete the abandoned render %s", name)


def _queued_again(now):
    """The fields of a report queued again: it should start within REPORT_QUEUED_SECONDS."""
    return {
        "status": ReportStatus.QUEUED,
        "error": "",
        "lease_expires_at": now + timedelta(seconds=settings.REPORT_QUEUED_SECONDS),
    }


# What the page says after a Retry (each app's retry view).
RETRIED = "The report is being made again."
ALREADY_BEING_MADE = "The report is already being made; nothing was changed."


def retry_message(retried: bool) -> str:
    return RETRIED if retried else ALREADY_BEING_MADE


def retry(model, report, task) -> bool:
    """Queue a failed or stuck report's render again (same version, same snapshot).

    True when it was queued again; False when it is being made and nothing was changed
    (a second click). A ready report is not made again."""
    now = timezone.now()
    updated = model.objects.filter(
        Q(status=ReportStatus.FAILED) | model.stuck(now), pk=report.pk
    ).update(**_queued_again(now))
    if not updated:
        status = model.objects.filter(pk=report.pk).values_list("status", flat=True).first()
        if status in (ReportStatus.QUEUED, ReportStatus.RENDERING):
            return False
        raise DomainError("Only a report that failed to render or is stuck can be retried.")
    outbox.enqueue(task.name, report_id=report.pk)
    return True


def requeue_expired(now=None) -> int:
    """Queue again every report whose render nobody holds (see RenderedReport.stuck).

    Each is moved back to queued with a fresh deadline by a compare-and-swap, so a second
    run (or two beats at once) sends it once. Returns how many were queued again."""
    now = timezone.now() if now is None else now
    sent = 0
    for model in apps.get_models():
        if not issubclass(model, RenderedReport) or not model.render_task:
            continue
        reports = model._default_manager
        for pk in reports.filter(model.stuck(now)).values_list("pk", flat=True):
            if not reports.filter(model.stuck(now), pk=pk).update(**_queued_again(now)):
                continue  # another run queued it, or its render finished meanwhile
            logger.warning("Queuing %s %s again: its render stalled", model.__name__, pk)
            # By name (ctpat imports no app), through the outbox like every other piece of
            # work: written now, sent after commit, sent again by beat if the broker is away.
            outbox.enqueue(model.render_task, report_id=pk)
            sent += 1
    return sent
