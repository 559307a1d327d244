"""What /healthz and the administrators' status page report: the database, the broker, the
last worker heartbeat, the last beat run and the oldest background work not yet handed over.

Each check answers for itself: a failing part is "unavailable", never an exception, so the
report is whole even while the database is down.
"""

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone

from .celery import app as celery_app
from .models import Heartbeat, OutboxMessage

logger = logging.getLogger(__name__)

BEAT, WORKER = "beat", "worker"


def record_heartbeat(name: str) -> None:
    """Note that the process called `name` is alive now."""
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


def database_status() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def broker_status() -> str:
    if not settings.CELERY_BROKER_URL:
        return "eager"
    # Quick to answer when the broker is away, like every page (the outbox's send timeout).
    timeout = settings.OUTBOX_BROKER_TIMEOUT
    with celery_app.connection_for_write(
        settings.CELERY_BROKER_URL,
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout},
    ) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=1)
    return "ok"


def oldest_undispatched_outbox_age() -> float | None:
    """Seconds since the oldest outbox row not yet handed to the broker was written (None
    when every row was sent). The report flags it stale past HEALTH_STALE_SECONDS, like the
    heartbeats: the broker has been away, or beat has stopped sending rows again."""
    oldest = OutboxMessage.objects.filter(done_at=None, dispatched_at=None).aggregate(
        at=Min("created_at")
    )["at"]
    return None if oldest is None else (timezone.now() - oldest).total_seconds()


def _age(at: datetime | None, now: datetime) -> dict[str, Any]:
    if at is None:
        return {"at": None, "age_seconds": None, "stale": True}
    age = max(0.0, (now - at).total_seconds())
    return {
        "at": at.isoformat(),
        "age_seconds": round(age),
        "stale": age > settings.HEALTH_STALE_SECONDS,
    }


def health_report() -> tuple[dict[str, Any], bool]:
    """(report, healthy): healthy while the database and the broker answer. Stale heartbeats
    are reported but do not make the site unhealthy: pages still work without workers."""
    report: dict[str, Any] = {}
    healthy = True
    for name, check in (("database", database_status), ("broker", broker_status)):
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency is a "down", not a 500
            logger.warning("health: %s check failed: %s", name, exc)
            report[name] = "unavailable"
            healthy = False
    now = timezone.now()
    try:
        seen = dict(Heartbeat.objects.values_list("name", "at"))
    except Exception as exc:  # the database is down: say so rather than fail
        logger.warning("health: heartbeats unreadable: %s", exc)
        report[WORKER] = report[BEAT] = "unavailable"
    else:
        report[WORKER] = _age(seen.get(WORKER), now)
        report[BEAT] = _age(seen.get(BEAT), now)
    age = oldest_undispatched_outbox_age()
    report["outbox"] = {
        "oldest_undispatched_age_seconds": None if age is None else round(age),
        "stale": age is not None and age > settings.HEALTH_STALE_SECONDS,
    }
    return report, healthy
