"""Project-wide tasks."""

from celery import shared_task


@shared_task(name="ctpat.ping")
def ping(payload: str = "pong") -> str:
    """Echo the payload: proves a worker takes a task from the broker and answers."""
    return payload


@shared_task(name="ctpat.requeue_expired_leases")
def requeue_expired_leases() -> int:
    """Queue again the report renders whose lease ran out or that never started (beat)."""
    from .reports import requeue_expired  # lazy: reports reads the models, loaded later

    return requeue_expired()
