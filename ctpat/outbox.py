"""The transactional outbox: background work is a row written with the change that needs it.

    outbox.enqueue("validations.render_report", report_id=report.pk)

writes an OutboxMessage in the caller's transaction and, once it commits, sends the task to
Celery with `outbox_id` added to its kwargs. The send uses a connection of its own with a
short timeout and no retries, so a request never waits on a broker that is away; a send that
fails is logged and left to beat, whose `redispatch` sends again every row not started
within OUTBOX_REDISPATCH_SECONDS, oldest first.

A task wrapped in `@claimed` claims its row before working (a compare-and-swap on
`started_at`) and marks it done after, so a row sent twice (after commit and by beat, or by
a broker redelivery) does its work once. A claim older than OUTBOX_CLAIM_SECONDS belongs to
a run that died, and may be taken again. Without a broker (CELERY_TASK_ALWAYS_EAGER, the
embedded `make run` setup) the task runs in-process on commit, as before.

Written here rather than taken from django-celery-outbox (0.4.3): that library relays from
a separate process, leaves the consumer side (claims) to the project, and brings structlog,
sentry-sdk and datadog with it.
"""

import contextlib
import functools
import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .celery import app
from .models import OutboxMessage

logger = logging.getLogger(__name__)


def enqueue(task: str, **kwargs: Any) -> OutboxMessage:
    """Write the task `task` (its Celery name) with JSON `kwargs` as an outbox row, and send
    it after the current transaction commits."""
    return enqueue_many(task, [kwargs])[0]


def enqueue_many(task: str, kwargs_list: Iterable[dict[str, Any]]) -> list[OutboxMessage]:
    """`enqueue` for many rows of one task at once: one insert, one send after commit."""
    # Marked sent when written: the send after commit nearly always succeeds, and an UPDATE
    # per request costs more than the send; a failed send clears the mark (dispatch).
    now = timezone.now()
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(task=task, kwargs=kwargs, dispatched_at=now) for kwargs in kwargs_list
    )
    if messages:
        transaction.on_commit(lambda: dispatch(messages, marked=True))
    return messages


def dispatch(messages: Sequence[OutboxMessage], *, marked: bool = False) -> int:
    """Send the rows to Celery now, in order, over this process's connection; stop at the
    first send the broker refuses (logged: the rest wait for beat). `marked`: the rows were
    written as sent (enqueue), so only those not sent are updated, to unsent; otherwise the
    rows sent are marked sent now. Returns how many were sent."""
    if app.conf.task_always_eager:
        for message in messages:
            _task(message.task).delay(**message.kwargs, outbox_id=message.pk)
        return len(messages)
    sent: list[int] = []
    try:
        _send(messages, sent)
    except Exception:  # a connection kept from before may have gone stale: one fresh try
        _forget_connection()
        try:
            _send(messages[len(sent) :], sent)
        except Exception:  # the broker is away: the rows not sent stay for beat
            _forget_connection()
            logger.warning(
                "Outbox: %s of %s rows not sent (broker away); beat will send them",
                len(messages) - len(sent),
                len(messages),
            )
    if marked and len(sent) < len(messages):
        unsent = [m.pk for m in messages if m.pk not in set(sent)]
        OutboxMessage.objects.filter(pk__in=unsent).update(dispatched_at=None)
    elif not marked and sent:
        OutboxMessage.objects.filter(pk__in=sent).update(dispatched_at=timezone.now())
    return len(sent)


def _send(messages: Sequence[OutboxMessage], sent: list[int]) -> None:
    connection = _connection()
    for message in messages:
        # ignore_result: the row is the record, and the send stays off the backend.
        app.send_task(
            message.task,
            kwargs={**message.kwargs, "outbox_id": message.pk},
            connection=connection,
            retry=False,
            ignore_result=True,
        )
        sent.append(message.pk)


def redispatch(*, older_than: timedelta | None = None, batch: int | None = None) -> int:
    """Send again, oldest first, the rows not done whose last send (or creation, if never
    sent) is older than `older_than`, skipping rows a live run holds and rows that failed
    OUTBOX_MAX_ATTEMPTS times. Returns how many were sent."""
    now = timezone.now()
    cutoff = now - (older_than if older_than is not None else _seconds("OUTBOX_REDISPATCH"))
    rows = (
        OutboxMessage.objects.filter(done_at__isnull=True)
        .filter(Q(dispatched_at__lt=cutoff) | Q(dispatched_at__isnull=True, created_at__lt=cutoff))
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - _seconds("OUTBOX_CLAIM")))
        .filter(attempts__lt=settings.OUTBOX_MAX_ATTEMPTS)
        .order_by("created_at", "pk")[: batch or settings.OUTBOX_REDISPATCH_BATCH]
    )
    return dispatch(list(rows))


def claim(outbox_id: int) -> bool:
    """Take the row for this run: True for exactly one run while it is not done and no live
    run holds it (a compare-and-swap, so two deliveries never both work)."""
    now = timezone.now()
    return bool(
        OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__lt=now - _seconds("OUTBOX_CLAIM")))
        .update(started_at=now, attempts=F("attempts") + 1)
    )


def done(outbox_id: int) -> None:
    """Mark the row done; call it inside the work's own transaction where the work is a
    database write, so the two commit together (`claimed` calls it again harmlessly)."""
    OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=True).update(
        done_at=timezone.now(), last_error=""
    )


def release(outbox_id: int, error: BaseException) -> None:
    """Give the row back after a failed run, with the error, for a retry or redispatch."""
    OutboxMessage.objects.filter(pk=outbox_id, done_at__isnull=True).update(
        started_at=None, last_error=f"{type(error).__name__}: {error}"[:2000]
    )


def claimed(func):
    """Make a task idempotent on its outbox row: it takes `outbox_id`, claims the row, does
    the work once, and marks the row done (or releases it, with the error, and re-raises).
    Called without `outbox_id` (a shell, a test) it just does the work."""

    @functools.wraps(func)
    def run(*args, outbox_id: int | None = None, **kwargs):
        if outbox_id is None:
            return func(*args, **kwargs)
        if not claim(outbox_id):
            logger.info("Outbox row %s is done or running: skipped", outbox_id)
            return None
        try:
            result = func(*args, **kwargs)
        except BaseException as error:
            release(outbox_id, error)
            raise
        done(outbox_id)
        return result

    return run


# One broker connection per thread, kept between requests: opening one costs several
# milliseconds, more than the rest of the outbox together (make bench). Kombu connections are
# not shared between threads. A kept connection is checked with a PING first (a tenth of a
# millisecond): a write on a socket the broker has closed can seem to succeed, and the
# message would be lost until beat sends its row again.
_local = threading.local()


def _connection():
    url = app.conf.broker_write_url or app.conf.broker_url
    kept = getattr(_local, "connection", None)
    if kept is not None and getattr(_local, "url", None) == url and _alive(kept):
        return kept
    _forget_connection()
    timeout = settings.OUTBOX_BROKER_TIMEOUT
    connection = app.connection_for_write(
        connect_timeout=timeout,
        transport_options={
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "max_retries": 0,
        },
    )
    _local.connection, _local.url = connection, url
    return connection


def _alive(connection) -> bool:
    try:
        client = getattr(connection.default_channel, "client", None)
        return client is None or bool(client.ping())
    except Exception:
        return False


def _forget_connection() -> None:
    connection, _local.connection = getattr(_local, "connection", None), None
    if connection is not None:
        with contextlib.suppress(Exception):  # it is being thrown away either way
            connection.release()


def _task(name: str):
    if name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery)
    return app.tasks[name]


def _seconds(prefix: str) -> timedelta:
    return timedelta(seconds=getattr(settings, f"{prefix}_SECONDS"))
