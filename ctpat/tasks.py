"""Project-wide tasks."""

from celery import shared_task

from . import outbox


@shared_task(name="ctpat.ping")
def ping(payload: str = "pong") -> str:
    """Echo the payload: proves a worker takes a task from the broker and answers."""
    return payload


@shared_task(name="ctpat.outbox_redispatch")
def outbox_redispatch() -> int:
    """Send again the outbox rows the broker missed (Celery beat, every 30 s)."""
    return outbox.redispatch()
