"""Project-wide tasks."""

from celery import shared_task
from celery.signals import after_task_publish

from . import outbox
from .health import BEAT, WORKER, record_heartbeat

HEARTBEAT_TASK = "ctpat.heartbeat"


@shared_task(name="ctpat.ping")
def ping(payload: str = "pong") -> str:
    """Echo the payload: proves a worker takes a task from the broker and answers."""
    return payload


@shared_task(name=HEARTBEAT_TASK, ignore_result=True)
def heartbeat() -> None:
    """Sent by beat every HEARTBEAT_SECONDS; running it shows a worker is taking tasks."""
    record_heartbeat(WORKER)


@after_task_publish.connect(sender=HEARTBEAT_TASK, dispatch_uid="ctpat.beat_heartbeat")
def _beat_sent_heartbeat(sender=None, **kwargs) -> None:
    """Runs in the process that sent the heartbeat, which is beat: it is alive and reaches
    the broker, whether or not a worker is."""
    record_heartbeat(BEAT)


@shared_task(name="ctpat.requeue_expired_leases")
def requeue_expired_leases() -> int:
    """Queue again the report renders whose lease ran out or that never started (beat)."""
    from .reports import requeue_expired  # lazy: reports reads the models, loaded later

    return requeue_expired()


@shared_task(name="ctpat.outbox_redispatch")
def outbox_redispatch() -> int:
    """Send again the outbox rows the broker missed (Celery beat, every 30 s)."""
    return outbox.redispatch()


@shared_task(name="ctpat.scan_document", ignore_result=True)
@outbox.claimed
def scan_document(*, model: str, pk: int) -> str:
    """Scan one kept file with clamd (ctpat.scanning); idempotent."""
    from .scanning import scan_document as scan  # lazy: scanning reads the models

    return scan(model=model, pk=pk)


@shared_task(name="ctpat.requeue_stalled_scans")
def requeue_stalled_scans() -> int:
    """Queue again the scans left "being scanned" too long (beat, every minute)."""
    from .scanning import requeue_stalled

    return requeue_stalled()
