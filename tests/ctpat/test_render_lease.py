"""A whole worker SIGKILLed mid-render: the report's lease runs out, beat queues it again,
a new worker issues it, once (issue 13). Real Redis (a server of the test's own), real
PostgreSQL, real workers."""

import os
import shutil
import signal
import socket
import subprocess
import time
from datetime import date

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from ctpat.celery import app
from ctpat.models import ReportStatus
from ctpat.tasks import requeue_expired_leases
from notifications.models import Notification
from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, UserFactory
from tests.validations.conftest import withdraw_open_requests
from tests.workers import celery_worker, database_url
from validations import services
from validations.models import IssuedReport

LEASE_SECONDS = 8
BEAT_SECONDS = 60  # REPORT_REQUEUE_SECONDS's default: the beat interval in production


def wait_for(condition, seconds=60, step=0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port, stopped after (never the shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs Redis: redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    url = f"redis://127.0.0.1:{port}/0"
    try:
        assert wait_for(answers, 10), "redis-server did not start"
        _publish_to(url)  # this process sends its tasks there too
        yield url
    finally:
        _publish_to(None)  # back to the broker the settings name
        server.terminate()
        server.wait(timeout=10)


def _publish_to(url):
    """Point this process's Celery app at another broker to send to (None: the settings'
    own): its cached connection and producer pools are dropped, as Celery drops them
    after a fork."""
    app.conf.broker_write_url = url
    app._pool = None
    app.amqp._producer_pool = None


def approved_validation():
    supervisor = UserFactory(supervisor=True)
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = EnrollmentFactory(partner=partner, certified=True)
    MembershipFactory(partner=partner, officer=True)
    validation = services.validation_plan(
        actor=supervisor,
        enrollment=enrollment,
        kind="initial",
        mode="virtual",
        lead=specialist,
        planned_start=date.today(),
        planned_end=date.today(),
    )
    services.validation_start(validation=validation, actor=specialist)
    services.findings_record(
        validation=validation,
        actor=specialist,
        results={f.pk: ("meets", "") for f in validation.findings.all()},
    )
    withdraw_open_requests(validation, specialist)  # approval waits for every request
    services.validation_draft(validation=validation, actor=specialist)
    services.validation_submit(validation=validation, actor=specialist)
    # Tasks run eagerly until a worker starts: version 1 is rendered here.
    services.validation_approve(validation=validation, actor=supervisor, tier=2)
    return validation, supervisor


@pytest.mark.redis
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_whole_worker_killed_mid_render_issues_the_report_once_after_its_lease(
    own_redis, postgresql, catalogue, tmp_path
):
    validation, supervisor = approved_validation()
    assert validation.reports.get().status == ReportStatus.READY
    ready_title = "Your validation report (version {}) is ready"
    recipients = Notification.objects.filter(title=ready_title.format(1)).count()
    assert recipients >= 1

    db = connection.settings_dict

    def session():
        return psycopg2.connect(
            host=db["HOST"] or "127.0.0.1",
            port=db["PORT"] or 5432,
            user=db["USER"],
            dbname=db["NAME"],
        )

    # Another session holds the notifications table, so the render stops at its very end:
    # the file stored, the report marked ready but not committed, the partner not told.
    locker, watcher = session(), session()
    watcher.autocommit = True

    def render_waiting():
        with watcher.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND wait_event_type = 'Lock' AND query LIKE %s",
                [db["NAME"], "%notifications_notification%"],
            )
            return [pid for (pid,) in cursor.fetchall()]

    media = tmp_path / "worker-media"
    folder = media / "reports" / str(validation.pk)
    env = {
        "DATABASE_URL": database_url(connection),
        "MEDIA_ROOT": str(media),
        "REPORT_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    try:
        with celery_worker(own_redis, tmp_path / "killed.log", new_session=True, **env) as (
            worker,
            _queue,
        ):
            locker.cursor().execute(
                "LOCK TABLE notifications_notification IN ACCESS EXCLUSIVE MODE"
            )
            report = services.report_issue(validation=validation, actor=supervisor)
            assert report.version == 2
            assert wait_for(render_waiting, 90), (tmp_path / "killed.log").read_text()
            os.killpg(worker.pid, signal.SIGKILL)  # the whole worker: main process and pool
            worker.wait(timeout=10)
            killed_at = time.monotonic()
        # Its database session would wait for the lock and then fail; end it now.
        for pid in render_waiting():
            watcher.cursor().execute("SELECT pg_terminate_backend(%s)", [pid])
        locker.rollback()
    finally:
        locker.close()
        watcher.close()

    report.refresh_from_db()
    assert report.status == ReportStatus.RENDERING and report.lease_expires_at is not None
    assert len(list(folder.iterdir())) == 1  # the killed render's file, never issued

    with celery_worker(own_redis, tmp_path / "new.log", **env):
        # Beat's task, run as beat would once the lease is over (a live worker's lease
        # covers its whole time limit, so it is never taken from it).
        assert wait_for(lambda: report.lease_expires_at < timezone.now(), LEASE_SECONDS + 5)
        assert requeue_expired_leases() == 1
        assert requeue_expired_leases() == 0  # a second beat meanwhile sends nothing

        def issued():
            report.refresh_from_db()
            return report.status in (ReportStatus.READY, ReportStatus.FAILED)

        assert wait_for(issued, 90), (tmp_path / "new.log").read_text()
        assert time.monotonic() - killed_at < LEASE_SECONDS + BEAT_SECONDS

    assert report.status == ReportStatus.READY, report.error
    assert list(validation.reports.values_list("version", "status")) == [
        (2, ReportStatus.READY),
        (1, ReportStatus.READY),
    ]
    [stored] = folder.iterdir()  # the killed render's file is gone; one file is issued
    assert report.stored_name == f"reports/{validation.pk}/{stored.name}"
    assert report.sha256 == __import__("hashlib").sha256(stored.read_bytes()).hexdigest()
    assert Notification.objects.filter(title=ready_title.format(2)).count() == recipients
    assert IssuedReport.objects.filter(validation=validation, version=2).count() == 1
