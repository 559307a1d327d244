"""Celery tasks of the accounts app: thin wrappers over its services."""

from celery import shared_task

from . import services


@shared_task(name="accounts.disable_unused")
def disable_unused() -> dict[str, int]:
    """Nightly (beat): notices to accounts nearly unused, and unused accounts disabled."""
    return services.users_disable_unused()
