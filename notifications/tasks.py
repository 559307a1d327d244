from celery import shared_task


@shared_task(name="notifications.sweep")
def sweep() -> dict:
    """The hourly deadline sweep; safe to run twice or to redeliver (see sweep.py)."""
    from .sweep import run_sweep

    return run_sweep()
