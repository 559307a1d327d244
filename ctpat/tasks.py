"""Project-wide tasks."""

from celery import shared_task


@shared_task(name="ctpat.ping")
def ping(payload: str = "pong") -> str:
    """Echo the payload: proves a worker takes a task from the broker and answers."""
    return payload
