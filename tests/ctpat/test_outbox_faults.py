"""Redis stopped under a real worker: requests still answer at once, and nothing is lost."""

import shutil
import socket
import subprocess
import time
from datetime import date, timedelta
from email import message_from_bytes

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from ctpat import outbox
from ctpat.models import OutboxMessage
from dashboard import summary
from dashboard.models import DashboardReport
from forced_labor import services as forced_labor
from forced_labor.models import Requirement
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    PartnerFactory,
    UserFactory,
    pdf_bytes,
)
from tests.validations.conftest import withdraw_open_requests
from tests.workers import celery_worker, database_url
from validations import services as validations
from validations.models import IssuedReport


def wait_for(condition, seconds=90, step=0.3):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class OwnRedis:
    """A redis-server of this test's own, on its own port, that the test stops and starts."""

    def __init__(self, binary: str, port: int):
        self.binary, self.port, self.process = binary, port, None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [self.binary, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(lambda: answers(self.port), 10), "redis-server did not start"

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        assert wait_for(lambda: not answers(self.port), 10)


@pytest.fixture
def own_redis(redis_broker_url, postgresql):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs Redis: no redis-server binary to start one of the test's own")
    redis = OwnRedis(binary, free_port())
    redis.start()
    yield redis
    redis.stop()


def approved_validation(supervisor, specialist):
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = EnrollmentFactory(partner=partner, certified=True)
    MembershipFactory(partner=partner, officer=True)
    start = date.today()
    validation = validations.validation_plan(
        actor=supervisor,
        enrollment=enrollment,
        kind="initial",
        mode="virtual",
        lead=specialist,
        planned_start=start,
        planned_end=start,
    )
    validations.validation_start(validation=validation, actor=specialist)
    validations.findings_record(
        validation=validation,
        actor=specialist,
        results={f.pk: ("meets", "") for f in validation.findings.all()},
    )
    withdraw_open_requests(validation, specialist)  # approval waits for every request
    validations.validation_draft(validation=validation, actor=specialist)
    validations.validation_submit(validation=validation, actor=specialist)
    validations.validation_approve(validation=validation, actor=supervisor, tier=2)
    return validation


def forced_labor_submission(specialist):
    from django.core.files.uploadedfile import SimpleUploadedFile

    partner = PartnerFactory(field_office=specialist.field_office, security={"validated": True})
    EnrollmentFactory(partner=partner, program="trade_compliance", status="under_review")
    officer = MembershipFactory(partner=partner, officer=True).user
    return forced_labor.submission_create(
        actor=officer,
        partner=partner,
        requirement=Requirement.objects.get(number=3),
        title="Training records",
        effective_on=date.today(),
        files=[SimpleUploadedFile("document.pdf", pdf_bytes(), "application/pdf")],
    )


def timed(call):
    start = time.monotonic()
    response = call()
    return response, time.monotonic() - start


@pytest.mark.redis
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_actions_answer_at_once_and_their_work_runs_once_it_is_back(
    own_redis, catalogue, tmp_path, monkeypatch
):
    # Made before the worker starts, in-process (eager): an approved validation with its
    # first report, and a forced-labor submission waiting for review.
    supervisor = UserFactory(supervisor=True)
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    validation = approved_validation(supervisor, specialist)
    submission = forced_labor_submission(specialist)
    summary.refresh()
    before = set(OutboxMessage.objects.values_list("pk", flat=True))

    broker = f"redis://127.0.0.1:{own_redis.port}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", broker)  # this process's sends, too
    mail = tmp_path / "mail"
    log = tmp_path / "worker.log"
    with celery_worker(
        broker,
        log,
        DATABASE_URL=database_url(connection),
        MEDIA_ROOT=str(tmp_path / "worker-media"),
        EMAIL_URL=f"filemail:///{mail}",  # "filemail:///" + an absolute path
    ):
        ping = OutboxMessage.objects.create(task="ctpat.ping")  # the broker takes a send
        assert outbox.dispatch([ping]) == 1
        ping.delete()  # ctpat.ping is not outbox work: nothing marks it done
        own_redis.stop()

        cbp, specialist_client = Client(), Client()
        cbp.force_login(supervisor)
        specialist_client.force_login(specialist)
        for response, seconds in (
            timed(lambda: cbp.post(reverse("validations:report_reissue", args=[validation.pk]))),
            timed(lambda: cbp.post("/dashboard/pdf/")),
            timed(
                lambda: specialist_client.post(
                    reverse("forced_labor:review", args=[submission.pk]), {"decision": "accept"}
                )
            ),
        ):
            assert response.status_code < 500 and seconds < 1, (response.status_code, seconds)
        queued = OutboxMessage.objects.exclude(pk__in=before)
        assert {m.task for m in queued} >= {
            "validations.render_report",
            "dashboard.render_pdf",
            "notifications.send_email",
        }
        assert not queued.filter(dispatched_at__isnull=False).exists()
        reissued = IssuedReport.objects.get(validation=validation, version=2)
        page = cbp.get(reverse("validations:detail", args=[validation.pk])).content.decode()
        assert "Queued: it will be made as soon as a worker is free" in page

        own_redis.start()

        # What beat does every 30 s (without waiting OUTBOX_REDISPATCH_SECONDS). It also
        # picks up the emails the worker queued itself: those went to the default queue,
        # which this test's worker does not read (tests.workers gives it a queue of its own).
        def all_done():
            outbox.redispatch(older_than=timedelta(seconds=3))
            return not OutboxMessage.objects.filter(done_at__isnull=True).exists()

        assert wait_for(all_done, step=1), (
            list(OutboxMessage.objects.filter(done_at__isnull=True).values("task", "last_error")),
            log.read_text(),
        )

    rows = OutboxMessage.objects.exclude(pk__in=before)
    assert all(row.attempts == 1 for row in rows), list(rows.values("task", "attempts"))
    reissued.refresh_from_db()
    assert reissued.status == "ready"
    assert DashboardReport.objects.get().status == "ready"
    submission.refresh_from_db()
    assert submission.status == "accepted"
    # Every email the actions queued was sent, exactly once.
    expected = sorted(
        address
        for row in rows.filter(task="notifications.send_email")
        for address in row.kwargs["to"]
    )
    sent = sorted(
        address.strip()
        for path in mail.glob("*")
        for chunk in path.read_bytes().split(b"-" * 79)
        if chunk.strip()
        for address in message_from_bytes(chunk.strip()).get("To", "").split(",")
    )
    assert expected and sent == expected
