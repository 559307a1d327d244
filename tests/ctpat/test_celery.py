from pathlib import Path

import pytest

from ctpat.celery import app
from ctpat.tasks import ping
from tests.validations.conftest import withdraw_open_requests
from tests.workers import celery_worker, database_url

ROOT = Path(__file__).resolve().parents[2]


def test_task_defaults_are_the_reliable_ones():
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert conf.task_serializer == "json"


def test_tasks_are_autodiscovered():
    assert "ctpat.ping" in app.tasks


def test_without_a_worker_tasks_run_eagerly():
    assert ping.delay("hello").get(timeout=1) == "hello"


@pytest.mark.redis
def test_a_real_worker_takes_a_task_from_redis_and_answers(redis_broker_url, tmp_path):
    # A queue of our own, so a stale message or another run's worker cannot interfere.
    with celery_worker(redis_broker_url, tmp_path / "worker.log"):
        result = ping.apply_async(args=["round-trip"])
        assert result.get(timeout=60) == "round-trip", (tmp_path / "worker.log").read_text()
        assert result.successful()


@pytest.mark.redis
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_a_validation_report(
    redis_broker_url, postgresql, catalogue, tmp_path, settings
):
    """The approve -> on_commit -> Celery -> WeasyPrint -> storage path, with a real worker."""
    import time

    from django.db import connection

    from tests.factories import EnrollmentFactory, MembershipFactory, PartnerFactory, UserFactory
    from validations import services
    from validations.models import IssuedReport

    supervisor = UserFactory(supervisor=True)
    specialist = UserFactory(specialist=True, field_office=supervisor.field_office)
    partner = PartnerFactory(field_office=supervisor.field_office, security=False)
    enrollment = EnrollmentFactory(partner=partner, certified=True)
    MembershipFactory(partner=partner, officer=True)
    start = __import__("datetime").date.today()
    validation = services.validation_plan(
        actor=supervisor,
        enrollment=enrollment,
        kind="initial",
        mode="virtual",
        lead=specialist,
        planned_start=start,
        planned_end=start,
    )
    assert validation.findings.exists(), "the criteria catalogue (a data migration) is missing"
    services.validation_start(validation=validation, actor=specialist)
    services.findings_record(
        validation=validation,
        actor=specialist,
        results={f.pk: ("meets", "") for f in validation.findings.all()},
    )
    withdraw_open_requests(validation, specialist)  # approval waits for every request
    services.validation_draft(validation=validation, actor=specialist)
    services.validation_submit(validation=validation, actor=specialist)

    media = tmp_path / "worker-media"
    # The worker must see the test database this process writes to.
    with celery_worker(
        redis_broker_url,
        tmp_path / "worker.log",
        MEDIA_ROOT=str(media),
        DATABASE_URL=database_url(connection),
    ):
        report = services.validation_approve(validation=validation, actor=supervisor, tier=2)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            report.refresh_from_db()
            if report.status in ("ready", "failed"):
                break
            time.sleep(0.5)
        assert report.status == "ready", (tmp_path / "worker.log").read_text()
        pdf = (media / report.stored_name).read_bytes()
        assert pdf.startswith(b"%PDF")
        assert (
            IssuedReport.objects.get(pk=report.pk).sha256
            == __import__("hashlib").sha256(pdf).hexdigest()
        )
