from celery import shared_task

from .sweep import run_sweep


@shared_task(name="deadlines.sweep")
def sweep() -> dict:
    """The hourly deadline sweep; safe to run twice or to redeliver (see sweep.py)."""
    return run_sweep()
