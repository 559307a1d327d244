"""The transactional outbox (ctpat.outbox), in eager mode: rows, claims, redispatch."""

import socket
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from ctpat import outbox
from ctpat.celery import app
from ctpat.models import OutboxMessage
from notifications.tasks import send_email

pytestmark = pytest.mark.django_db

EMAIL = {"to": ["a@example.com"], "subject": "Hello", "text": "Hi", "html": "<p>Hi</p>"}


def test_enqueue_writes_the_row_and_sends_it_only_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = outbox.enqueue("notifications.send_email", **EMAIL)
    assert OutboxMessage.objects.get().kwargs == EMAIL and not mailoutbox
    callbacks[0]()
    message.refresh_from_db()
    assert len(mailoutbox) == 1
    assert message.done_at and message.started_at and message.attempts == 1


def test_a_row_sent_twice_does_its_work_once(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = outbox.enqueue("notifications.send_email", **EMAIL)
    send_email.delay(**EMAIL, outbox_id=message.pk)  # the same row, delivered again
    message.refresh_from_db()
    assert len(mailoutbox) == 1 and message.attempts == 1


def test_a_failed_run_gives_the_row_back_with_its_error(monkeypatch, settings):
    monkeypatch.setattr(
        "notifications.tasks.send_rendered", lambda **kw: (_ for _ in ()).throw(ValueError("no"))
    )
    message = OutboxMessage.objects.create(task="notifications.send_email", kwargs=EMAIL)
    with pytest.raises(ValueError):
        send_email.delay(**EMAIL, outbox_id=message.pk)
    message.refresh_from_db()
    assert (message.started_at, message.done_at, message.attempts) == (None, None, 1)
    assert message.last_error == "ValueError: no"


def test_a_claim_held_by_a_live_run_is_refused_and_a_dead_one_is_taken(settings):
    message = OutboxMessage.objects.create(task="ctpat.ping", started_at=timezone.now())
    assert not outbox.claim(message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(
        started_at=timezone.now() - timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS + 1)
    )
    assert outbox.claim(message.pk)


def test_redispatch_sends_old_rows_not_done_oldest_first(mailoutbox):
    old = timezone.now() - timedelta(minutes=5)
    rows = [
        OutboxMessage.objects.create(task="notifications.send_email", kwargs=EMAIL | {"to": [to]})
        for to in ("first@example.com", "second@example.com", "done@example.com")
    ]
    OutboxMessage.objects.filter(pk__in=[r.pk for r in rows]).update(created_at=old)
    OutboxMessage.objects.filter(pk=rows[2].pk).update(done_at=old)
    OutboxMessage.objects.create(task="notifications.send_email", kwargs=EMAIL)  # just made
    assert outbox.redispatch() == 2
    assert [m.to for m in mailoutbox] == [["first@example.com"], ["second@example.com"]]
    assert outbox.redispatch() == 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_broker_that_is_away_costs_a_request_well_under_a_second(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{free_port()}/0")
    app.conf.task_always_eager = False  # the autouse celery_eager fixture puts it back
    message = OutboxMessage.objects.create(task="ctpat.ping", kwargs={"payload": "x"})
    start = time.monotonic()
    assert outbox.dispatch([message]) == 0
    assert time.monotonic() - start < 1
    message.refresh_from_db()
    assert message.dispatched_at is None  # left for beat


def test_each_task_sent_through_the_outbox_claims_its_row():
    app.loader.import_default_modules()
    for name in (
        "validations.render_report",
        "benefits.render_report",
        "dashboard.render_pdf",
        "notifications.send_email",
    ):
        assert app.tasks[name].run.__wrapped__, name


def test_enqueue_many_is_one_row_each_and_one_send(django_capture_on_commit_callbacks):
    with transaction.atomic(), django_capture_on_commit_callbacks() as callbacks:
        outbox.enqueue_many("ctpat.ping", [{"payload": "a"}, {"payload": "b"}])
    assert OutboxMessage.objects.count() == 2 and len(callbacks) == 1
