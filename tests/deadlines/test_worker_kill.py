"""Exactly once, with a real worker killed mid-task on Redis (acks_late) and redelivered."""

import os
import signal
import time
from datetime import timedelta

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from deadlines.models import SentNotice
from deadlines.tasks import sweep
from notifications.models import Notification
from tests.factories import PartnerFactory, UserFactory
from tests.workers import celery_worker, database_url, pool_processes


def wait_for(condition, seconds=60, step=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.mark.redis
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_sweep_sends_each_notice_once(
    redis_broker_url, postgresql, catalogue, tmp_path
):
    specialist = UserFactory(specialist=True)
    supervisor = UserFactory(supervisor=True, field_office=specialist.field_office)
    # A certification decision 30 days overdue: an overdue notice to the specialist and,
    # past the grace period, an escalation to the supervisor.
    applied = timezone.localdate() - timedelta(days=120)
    PartnerFactory(
        field_office=specialist.field_office,
        specialist=specialist,
        security={"status": "under_review", "applied_on": applied},
    )

    url = database_url(connection)
    db = connection.settings_dict

    # Another session holds the notifications table, so the sweep stops halfway through
    # its transaction (notices recorded, notifications not yet written) and waits there.
    def session():
        return psycopg2.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname=db["NAME"],
        )

    locker, watcher = session(), session()
    watcher.autocommit = True  # pg_stat_activity is read afresh in each transaction

    def sweep_is_waiting():
        with watcher.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                "AND wait_event_type = 'Lock' AND query LIKE %s",
                [db["NAME"], 'INSERT INTO "notifications_notification"%'],
            )
            return cursor.fetchone()[0] > 0

    log = tmp_path / "worker.log"
    try:
        with celery_worker(redis_broker_url, log, DATABASE_URL=url) as (worker, _queue):
            locker.cursor().execute(
                "LOCK TABLE notifications_notification IN ACCESS EXCLUSIVE MODE"
            )
            result = sweep.apply_async()
            assert wait_for(sweep_is_waiting, 90), log.read_text()
            [child] = pool_processes(worker.pid)
            os.kill(child, signal.SIGKILL)  # the worker's pool process dies mid-task
            locker.rollback()  # let go of the table

            # The message was not acknowledged: the worker requeues it and a new pool
            # process runs the sweep again from the start.
            assert wait_for(lambda: Notification.objects.count() >= 2, 90), log.read_text()
            assert result.get(timeout=60)["sent"] == 2
            assert child not in pool_processes(worker.pid)
    finally:
        locker.close()
        watcher.close()

    text = log.read_text()
    assert "WorkerLostError" in text or "SIGKILL" in text, text
    assert sorted(SentNotice.objects.values_list("notice", "recipient_id")) == [
        ("escalation", supervisor.pk),
        ("overdue", specialist.pk),
    ]
    assert Notification.objects.count() == 2
